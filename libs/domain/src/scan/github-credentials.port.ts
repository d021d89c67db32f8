import type { RepoCoordinates } from '../repository/repo-coordinates';

/** The token for the next request (null: the instance's own access); it may change between calls. */
export type GithubTokenSource = () => Promise<string | null>;

/**
 * How to read a repository on GitHub when the instance's own access is not the one to use: with
 * its GitHub App installation's token, or its org's stored token. Looked up once per repository
 * reader; an installation's short-lived token is still renewed per request as it nears expiry.
 */
export interface GithubCredentials {
  tokenSourceFor(repo: RepoCoordinates): Promise<GithubTokenSource>;
}
