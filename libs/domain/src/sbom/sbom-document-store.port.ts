/** Keeps uploaded SBOM documents where scans read manifests, addressed by their content. */
export interface SbomDocumentStore {
  /** Stores the bytes (once, whoever stores them again); their SHA-256, lower-case hex. */
  store(content: Uint8Array): Promise<string>;
}
