import type { ResolvedCommit, TreeBlob } from '../repository/repo-coordinates';

/**
 * One repository's manifests, bound to its provider, URL and credentials. Adapters raise
 * DomainErrors: `not_found` REPO_NOT_FOUND / REF_NOT_FOUND for permanent misses, `unavailable`
 * INTEGRATION_UNAVAILABLE (with `retryAfterMs` when the source said so) for what a retry may fix.
 */
export interface ManifestReader {
  resolveCommit(ref?: string): Promise<ResolvedCommit>;
  /** The commit's blobs, recursively: every one, or at least every manifest candidate. */
  listTree(commitSha: string): Promise<TreeBlob[]>;
  /** A blob's raw bytes. */
  readBlob(blobSha: string): Promise<Uint8Array>;
  /**
   * The best common ancestor of two commits (where a pull request's head left its base); null when
   * they have none. Optional: a reader that cannot tell leaves it out.
   */
  mergeBase?(baseSha: string, headSha: string): Promise<string | null>;
}
