import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** The advisory database's answer for one dependency of a snapshot: this id affects it. */
@Entity({ tableName: 'dependency_matches' })
export class DependencyMatchEntity {
  @PrimaryKey({ type: 'uuid' })
  snapshotId!: string;

  @PrimaryKey({ type: 'uuid' })
  dependencyId!: string;

  @PrimaryKey({ type: 'string', length: 128 })
  vulnerabilityId!: string;

  @Index()
  @Property({ type: 'uuid' })
  orgId!: string;
}
