import type { NewSbomUpload, SbomUpload } from './sbom-upload';

/** The uploads of SBOM projects, as the unit of work's tenant scope lets it see them. */
export interface SbomUploadRepository {
  /** Queued with the unit of work; the id is known at once. */
  add(upload: NewSbomUpload): SbomUpload;
  /** The project's newest upload: what its scan reads when no upload is named. */
  newest(repoId: string): Promise<SbomUpload | null>;
  /** The project's newest upload of this document (same bytes). */
  findBySha(repoId: string, sha256: string): Promise<SbomUpload | null>;
}
