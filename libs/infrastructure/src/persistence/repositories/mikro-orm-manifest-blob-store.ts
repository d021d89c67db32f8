import type { EntityManager } from '@mikro-orm/postgresql';
import type { ManifestBlobStore, StoredBlob } from '@repoguard/domain';

export class MikroOrmManifestBlobStore implements ManifestBlobStore {
  constructor(private readonly em: EntityManager) {}

  async missing(shas: readonly string[]): Promise<string[]> {
    if (shas.length === 0) return [];
    const rows = await this.em
      .fork()
      .getKnex()('manifest_blobs')
      .select('sha')
      .whereIn('sha', [...shas]);
    const present = new Set(rows.map((r: { sha: string }) => r.sha));
    return shas.filter((sha) => !present.has(sha));
  }

  async putAll(blobs: readonly StoredBlob[]): Promise<void> {
    if (blobs.length === 0) return;
    // Content-addressed: a concurrent scan storing the same blob is not a conflict.
    await this.em
      .fork()
      .getKnex()('manifest_blobs')
      .insert(
        blobs.map(({ sha, content }) => ({ sha, size: content.byteLength, content: Buffer.from(content) })),
      )
      .onConflict('sha')
      .ignore();
  }

  async get(shas: readonly string[]): Promise<Map<string, Uint8Array>> {
    if (shas.length === 0) return new Map();
    const rows = await this.em
      .fork()
      .getKnex()('manifest_blobs')
      .select('sha', 'content')
      .whereIn('sha', [...new Set(shas)]);
    return new Map(rows.map((r: { sha: string; content: Buffer }) => [r.sha, new Uint8Array(r.content)]));
  }
}
