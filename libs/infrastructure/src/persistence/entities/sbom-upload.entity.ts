import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { SbomDocumentFormat } from '@repoguard/domain';
import { randomUUID } from 'node:crypto';
import { RepositoryEntity } from './repository.entity';

/** One SBOM uploaded to a project of provider `sbom` (see SbomUpload); Migration20261212030000. */
@Entity({ tableName: 'sbom_uploads' })
@Index({ properties: ['repoId', 'uploadedAt'] })
export class SbomUploadEntity {
  [OptionalProps]?: 'uploadedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  orgId!: string;

  // A relation, so a project created in the same unit of work is inserted first.
  @ManyToOne(() => RepositoryEntity, { fieldName: 'repo_id', mapToPk: true, deleteRule: 'cascade' })
  repoId!: string;

  /** The document in manifest_blobs, by the SHA-256 of its bytes: the snapshot's "commit". */
  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'string', length: 16 })
  format!: SbomDocumentFormat;

  @Property({ type: 'string', length: 40 })
  specVersion!: string;

  @Property({ type: 'text', nullable: true })
  serialNumber: string | null = null;

  @Property({ type: 'text', nullable: true })
  documentName: string | null = null;

  @Property({ type: 'integer' })
  components!: number;

  @Property({ type: 'integer' })
  sizeBytes!: number;

  @Property({ type: 'text' })
  uploadedBy!: string;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  uploadedAt: Date = new Date();
}
