import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { NotificationChannelKind, NotificationDeliveryStatus } from '@repoguard/domain';

/** One message to one channel and every attempt's outcome (see NotificationDelivery). */
@Entity({ tableName: 'notification_deliveries' })
@Unique({
  name: 'notification_deliveries_channel_id_group_key_unique',
  properties: ['channelId', 'groupKey'],
})
export class NotificationDeliveryEntity {
  [OptionalProps]?:
    | 'ruleIds'
    | 'eventIds'
    | 'eventTotal'
    | 'status'
    | 'attempts'
    | 'lastError'
    | 'lastStatusCode'
    | 'nextAttemptAt'
    | 'workflowStartedAt'
    | 'createdAt'
    | 'updatedAt'
    | 'deliveredAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'uuid', nullable: true })
  channelId: string | null = null;

  @Property({ type: 'string', length: 16 })
  channelKind!: NotificationChannelKind;

  @Property({ type: 'string', length: 100 })
  channelName!: string;

  @Property({ type: 'json' })
  ruleIds: string[] = [];

  @Property({ type: 'string', length: 16 })
  kind!: 'immediate' | 'digest' | 'test';

  @Property({ type: 'text' })
  groupKey!: string;

  @Property({ type: 'json' })
  eventIds: string[] = [];

  /** How many events the delivery stands for when `eventIds` holds only the first; null: all. */
  @Property({ type: 'integer', nullable: true })
  eventTotal: number | null = null;

  @Property({ type: 'string', length: 16 })
  status: NotificationDeliveryStatus = 'pending';

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'integer', nullable: true })
  lastStatusCode: number | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  workflowStartedAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  deliveredAt: Date | null = null;
}
