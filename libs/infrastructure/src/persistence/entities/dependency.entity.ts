import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { DependencyHash, DependencyRef } from '@repoguard/domain';

@Entity({ tableName: 'dependencies' })
@Index({ properties: ['ecosystem', 'name'] })
// Finding lists look up the dependency a finding was seen on, by snapshot and name.
@Index({ properties: ['snapshotId', 'name'] })
export class DependencyEntity {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  orgId!: string;

  @Index()
  @Property({ type: 'uuid' })
  snapshotId!: string;

  @Property({ type: 'string', length: 32 })
  ecosystem!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  version: string | null = null;

  @Property({ type: 'text', nullable: true })
  specifier: string | null = null;

  @Property({ type: 'string', length: 16 })
  scope!: 'runtime' | 'dev' | 'optional';

  @Property({ type: 'boolean' })
  direct!: boolean;

  @Property({ type: 'text' })
  manifestPath!: string;

  @Property({ type: 'integer', nullable: true })
  line: number | null = null;

  @Property({ type: 'text' })
  purl!: string;

  /** Integrity hashes the lock file records; null when it records none. */
  @Property({ type: 'json', nullable: true })
  hashes: DependencyHash[] | null = null;

  @Property({ type: 'json', nullable: true })
  licenses: string[] | null = null;

  /** The lock file's edges from this package; null when it gives no graph, [] when it has none. */
  @Property({ type: 'json', nullable: true })
  dependsOn: DependencyRef[] | null = null;
}
