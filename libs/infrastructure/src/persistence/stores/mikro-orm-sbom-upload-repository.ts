import type { EntityManager } from '@mikro-orm/postgresql';
import type { NewSbomUpload, SbomUpload, SbomUploadRepository } from '@repoguard/domain';
import { SbomUploadEntity } from '../entities';

export const sbomUploadOf = (e: SbomUploadEntity): SbomUpload => ({
  id: e.id,
  orgId: e.orgId,
  repoId: e.repoId,
  sha256: e.sha256,
  format: e.format,
  specVersion: e.specVersion,
  serialNumber: e.serialNumber,
  documentName: e.documentName,
  components: e.components,
  sizeBytes: e.sizeBytes,
  uploadedBy: e.uploadedBy,
  uploadedAt: e.uploadedAt,
});

/** `sbom_uploads`, through the unit of work's (tenant-scoped) entity manager. */
export class MikroOrmSbomUploadRepository implements SbomUploadRepository {
  constructor(private readonly em: EntityManager) {}

  add(upload: NewSbomUpload): SbomUpload {
    return sbomUploadOf(this.em.create(SbomUploadEntity, { ...upload }));
  }

  async newest(repoId: string): Promise<SbomUpload | null> {
    const found = await this.em.findOne(
      SbomUploadEntity,
      { repoId },
      { orderBy: { uploadedAt: 'desc', id: 'desc' } },
    );
    return found ? sbomUploadOf(found) : null;
  }

  async findBySha(repoId: string, sha256: string): Promise<SbomUpload | null> {
    const found = await this.em.findOne(
      SbomUploadEntity,
      { repoId, sha256 },
      { orderBy: { uploadedAt: 'desc', id: 'desc' } },
    );
    return found ? sbomUploadOf(found) : null;
  }
}
