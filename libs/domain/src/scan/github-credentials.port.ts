import type { RepoCoordinates } from './repo-coordinates';

/**
 * The GitHub token to read a repository with, when the instance's own access is not the one to
 * use: its GitHub App installation's token, or its org's stored token.
 */
export interface GithubCredentials {
  tokenFor(repo: RepoCoordinates): Promise<string | null>;
}
