import { createHash } from 'node:crypto';
import type { ManifestBlobStore, SbomDocumentStore } from '@repoguard/domain';

/**
 * SBOM documents in the manifest blob store, keyed by the SHA-256 of their bytes (64 hex digits:
 * never a git blob SHA's 40), where the scan's fetch step finds them already stored.
 */
export class ManifestBlobSbomDocumentStore implements SbomDocumentStore {
  constructor(private readonly blobs: ManifestBlobStore) {}

  async store(content: Uint8Array): Promise<string> {
    const sha = createHash('sha256').update(content).digest('hex');
    await this.blobs.putAll([{ sha, content }]);
    return sha;
  }
}
