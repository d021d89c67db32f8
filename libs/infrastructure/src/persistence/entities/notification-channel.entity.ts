import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { NotificationChannelKind, NotificationChannelSummary } from '@repoguard/domain';

/**
 * An org's notification channel: the public part only. The URL, signing secret or SMTP login is
 * sealed in `stored_secrets` (kind `notification_channel`, owner this row's id).
 */
@Entity({ tableName: 'notification_channels' })
@Unique({ name: 'notification_channels_org_id_name_unique', properties: ['orgId', 'name'] })
export class NotificationChannelEntity {
  [OptionalProps]?: 'summary' | 'createdBy' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'string', length: 16 })
  kind!: NotificationChannelKind;

  @Property({ type: 'json', defaultRaw: `'{}'` })
  summary: NotificationChannelSummary = {};

  @Property({ type: 'text', nullable: true })
  createdBy: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
