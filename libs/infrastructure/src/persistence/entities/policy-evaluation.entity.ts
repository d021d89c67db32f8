import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { PolicyReason } from '@repoguard/domain';

@Entity({ tableName: 'policy_evaluations' })
@Index({ properties: ['repoId', 'createdAt'] })
export class PolicyEvaluationEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'uuid' })
  repoId!: string;

  @Property({ type: 'uuid' })
  snapshotId!: string;

  /** One verdict per scan (a retried step writes none). */
  @Property({ type: 'uuid', nullable: true, unique: 'policy_evaluations_scan_id_unique' })
  scanId: string | null = null;

  /** null: the built-in default policy (the org has not stored one). */
  @Property({ type: 'integer', nullable: true })
  policyVersion: number | null = null;

  @Property({ type: 'string', length: 8 })
  status!: 'OK' | 'WARN' | 'FAIL';

  @Property({ type: 'json' })
  reasons!: PolicyReason[];

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
