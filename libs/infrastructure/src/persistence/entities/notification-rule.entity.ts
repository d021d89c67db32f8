import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { DigestSchedule, NotificationEventType, RepositorySelector, Severity } from '@repoguard/domain';

/** An org's notification rule (see NotificationRule); the table is Migration20261209010000's. */
@Entity({ tableName: 'notification_rules' })
@Unique({ name: 'notification_rules_org_id_name_unique', properties: ['orgId', 'name'] })
export class NotificationRuleEntity {
  [OptionalProps]?:
    | 'minSeverity'
    | 'repositories'
    | 'mode'
    | 'digest'
    | 'enabled'
    | 'digestWatermark'
    | 'createdBy'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Index({ name: 'notification_rules_channel_id_index' })
  @Property({ type: 'uuid' })
  channelId!: string;

  @Property({ type: 'json' })
  events!: NotificationEventType[];

  @Property({ type: 'string', length: 16, nullable: true })
  minSeverity: Severity | null = null;

  @Property({ type: 'json' })
  repositories: RepositorySelector = { kind: 'all' };

  @Property({ type: 'string', length: 16 })
  mode: 'immediate' | 'digest' = 'immediate';

  @Property({ type: 'json', nullable: true })
  digest: DigestSchedule | null = null;

  @Property({ type: 'boolean' })
  enabled: boolean = true;

  /** Digests: the end of the period the last successful digest covered. */
  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  digestWatermark: Date | null = null;

  @Property({ type: 'text', nullable: true })
  createdBy: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
