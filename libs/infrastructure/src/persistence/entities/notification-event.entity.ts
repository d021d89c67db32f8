import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { NotificationEventType, Severity } from '@repoguard/domain';

/**
 * One thing that happened, written in the transaction of the change that caused it
 * (NotificationEventWriter); the dispatcher marks it dispatched. See Migration20261209010000.
 */
@Entity({ tableName: 'notification_events' })
@Index({ name: 'notification_events_org_id_occurred_at_index', properties: ['orgId', 'occurredAt'] })
@Index({ name: 'notification_events_group_key_index', properties: ['groupKey'] })
@Index({
  name: 'notification_events_undispatched_index',
  expression:
    'create index "notification_events_undispatched_index" on "notification_events" ("seq") where "dispatched_at" is null',
})
export class NotificationEventEntity {
  [OptionalProps]?: 'seq' | 'occurredAt' | 'dispatchedAt' | 'repoId' | 'repoName' | 'severity' | 'scanId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The order events committed in, from the database (bigserial): what the dispatcher reads by. */
  @Property({ type: 'bigint', columnType: 'bigserial' })
  seq?: string;

  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'uuid', nullable: true })
  repoId: string | null = null;

  @Property({ type: 'text', nullable: true })
  repoName: string | null = null;

  @Property({ type: 'string', length: 32 })
  type!: NotificationEventType;

  @Property({ type: 'string', length: 16, nullable: true })
  severity: Severity | null = null;

  @Property({ type: 'text' })
  groupKey!: string;

  @Property({ type: 'uuid', nullable: true })
  scanId: string | null = null;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  occurredAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  dispatchedAt: Date | null = null;
}
