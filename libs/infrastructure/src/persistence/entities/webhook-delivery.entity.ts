import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Every GitHub delivery, keyed by GitHub's delivery id: a redelivery or a replay finds its row and
 * has no second effect. Not a tenant row: one delivery may concern repositories of several orgs.
 */
@Entity({ tableName: 'webhook_deliveries' })
export class WebhookDeliveryEntity {
  [OptionalProps]?: 'receivedAt' | 'action' | 'githubRepoId' | 'ref' | 'headCommit' | 'error' | 'scans';

  @PrimaryKey({ type: 'string', length: 100 })
  deliveryId!: string;

  @Property({ type: 'string', length: 64 })
  event!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  action: string | null = null;

  @Index()
  @Property({ type: 'bigint', nullable: true })
  githubRepoId: string | null = null;

  @Property({ type: 'text', nullable: true })
  ref: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  headCommit: string | null = null;

  /** Whether the delivery had an effect (a scan requested), and why not when it had none. */
  @Property({ type: 'boolean' })
  handled!: boolean;

  @Property({ type: 'text' })
  outcome!: string;

  @Property({ type: 'integer' })
  statusCode!: number;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'json' })
  scans: { repo_id: string; org_id: string; workflow_id: string; request_id?: string }[] = [];

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date = new Date();
}
