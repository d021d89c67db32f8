import type { RepoCoordinates, RepositoryDescription } from './repo-coordinates';

/** Tells whether a repository exists at the provider, before anyone connects it. */
export interface RepositoryDirectory {
  /** Throws NotFoundError REPO_NOT_FOUND when the provider does not show it. */
  describeRepository(repo: RepoCoordinates): Promise<RepositoryDescription>;
}
