import type { ManifestReader } from './manifest-reader.port';
import type { RepoCoordinates } from '../repository/repo-coordinates';

/**
 * Where manifests come from (GitHub's API, or any git remote through the git CLI). A scan step asks
 * once for the repository it works on and reads everything through the reader it gets: provider,
 * URL and credentials are looked up then, not per call, and a change applies from the next step.
 */
export interface ManifestSource {
  /** May raise what reading would (REPO_NOT_FOUND, GITHUB_INSTALLATION_REVOKED, ...). */
  forRepository(repo: RepoCoordinates): Promise<ManifestReader>;
}
