import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { RepositoryEntity } from './repository.entity';

/**
 * Scan requests waiting to be relayed to Temporal: written in the transaction of whatever asked
 * (a webhook delivery, an API call), so a request exists exactly when its cause was recorded.
 * Deleted with its repository (foreign key, on delete cascade).
 */
@Entity({ tableName: 'scan_request_outbox' })
// The relay's poll reads only what is still to send, each org's oldest first; pruning reads only
// what was sent or given up.
@Index({
  name: 'scan_request_outbox_pending_index',
  expression:
    'create index "scan_request_outbox_pending_index" on "scan_request_outbox" ("task_queue", "org_id", "seq") where "relayed_at" is null and "gave_up_at" is null',
})
@Index({
  name: 'scan_request_outbox_relayed_at_index',
  expression:
    'create index "scan_request_outbox_relayed_at_index" on "scan_request_outbox" ("relayed_at") where "relayed_at" is not null',
})
@Index({
  name: 'scan_request_outbox_gave_up_at_index',
  expression:
    'create index "scan_request_outbox_gave_up_at_index" on "scan_request_outbox" ("gave_up_at") where "gave_up_at" is not null',
})
export class ScanRequestOutboxEntity {
  [OptionalProps]?:
    | 'seq'
    | 'claims'
    | 'attempts'
    | 'nextAttemptAt'
    | 'lastError'
    | 'createdAt'
    | 'relayedAt'
    | 'gaveUpAt'
    | 'scanId'
    | 'deliveryId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** The order requests were committed in: the workflow scans the highest it holds for a ref. */
  @Property({ type: 'bigint', columnType: 'bigserial', autoincrement: true })
  seq!: string;

  /** Bumped by every claim: a relay sends a request only while its claim is the latest. */
  @Property({ type: 'integer', default: 0 })
  claims: number = 0;

  @Property({ type: 'uuid' })
  orgId!: string;

  @ManyToOne(() => RepositoryEntity, {
    fieldName: 'repo_id',
    mapToPk: true,
    deleteRule: 'cascade',
    index: true,
  })
  repoId!: string;

  /** Where the scan workflow runs: only a relay serving this queue takes the request. */
  @Property({ type: 'string', length: 255 })
  taskQueue!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  deliveryId: string | null = null;

  /** The ScanRequestDetails, the repository's owner and name, and the routing. */
  @Property({ type: 'json' })
  request!: Record<string, unknown>;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  nextAttemptAt: Date = new Date();

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  relayedAt: Date | null = null;

  /** Refused too often or for too long, or its repository was disabled: never sent, kept a while. */
  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  gaveUpAt: Date | null = null;

  /** The scan serving the request, when the relay learnt it (API requests). */
  @Property({ type: 'uuid', nullable: true })
  scanId: string | null = null;
}
