import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A rule paused for one repository until `until`. */
@Entity({ tableName: 'notification_rule_mutes' })
export class NotificationRuleMuteEntity {
  [OptionalProps]?: 'createdBy' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  ruleId!: string;

  @PrimaryKey({ type: 'uuid' })
  repoId!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  until!: Date;

  @Property({ type: 'text', nullable: true })
  createdBy: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
