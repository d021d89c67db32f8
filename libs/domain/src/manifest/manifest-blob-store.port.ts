/** Manifest contents by git blob SHA, shared by every commit and repository that has them. */
export interface ManifestBlobStore {
  /** The SHAs among these that are not stored yet. */
  missing(shas: readonly string[]): Promise<string[]>;
  put(sha: string, content: Uint8Array): Promise<void>;
  get(shas: readonly string[]): Promise<Map<string, Uint8Array>>;
}
