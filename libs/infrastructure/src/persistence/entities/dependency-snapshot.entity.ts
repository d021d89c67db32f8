import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { ManifestDiagnostic } from '@repoguard/domain';

export interface SnapshotManifest {
  path: string;
  blobSha: string;
  parserId: string;
  diagnostics: ManifestDiagnostic[];
}

/** What one commit's manifests said; scanning the same commit again reuses it. */
@Entity({ tableName: 'dependency_snapshots' })
@Unique({ properties: ['repoId', 'commitSha'] })
export class DependencySnapshotEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'uuid' })
  repoId!: string;

  @Property({ type: 'string', length: 64 })
  commitSha!: string;

  @Property({ type: 'json' })
  manifests!: SnapshotManifest[];

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
