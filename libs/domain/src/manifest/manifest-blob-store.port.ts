export interface StoredBlob {
  readonly sha: string;
  readonly content: Uint8Array;
}

/** Manifest contents by git blob SHA, shared by every commit and repository that has them. */
export interface ManifestBlobStore {
  /** The SHAs among these that are not stored yet. */
  missing(shas: readonly string[]): Promise<string[]>;
  /** Stores them all at once; one already stored is left as it is (same SHA, same content). */
  putAll(blobs: readonly StoredBlob[]): Promise<void>;
  get(shas: readonly string[]): Promise<Map<string, Uint8Array>>;
}
