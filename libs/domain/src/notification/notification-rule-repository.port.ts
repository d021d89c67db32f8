import type { NotificationChannelKind } from './notification-channel';
import type { NotificationRule } from './notification-rule';

export interface NotificationRuleMuteRecord {
  readonly repo_id: string;
  readonly until: Date;
  readonly created_by: string | null;
  readonly created_at: Date;
}

/** A rule as stored, with its mutes (lapsed ones included until they are replaced or removed). */
export interface StoredNotificationRule extends NotificationRule {
  readonly mutes: readonly NotificationRuleMuteRecord[];
  readonly created_by: string | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** An org's rules; every method takes the org, so another org's id is simply not found. */
export interface NotificationRuleRepository {
  list(orgId: string): Promise<StoredNotificationRule[]>;
  /** `forUpdate`: the row is locked until the transaction ends (a change reads what it replaces). */
  get(orgId: string, ruleId: string, forUpdate?: boolean): Promise<StoredNotificationRule | null>;
  /** Throws UniqueViolationError when the org has a rule of that name. */
  add(rule: NotificationRule, createdBy: string | null): Promise<void>;
  update(rule: NotificationRule): Promise<void>;
  remove(orgId: string, ruleId: string): Promise<boolean>;
  /** Sets (or moves) the mute of one repository. */
  mute(ruleId: string, repoId: string, until: Date, createdBy: string | null): Promise<void>;
  unmute(ruleId: string, repoId: string): Promise<boolean>;
  /** The org's channel, or null (another org's or none). */
  channelOf(
    orgId: string,
    channelId: string,
  ): Promise<{ id: string; name: string; kind: NotificationChannelKind } | null>;
  /** Which of `repoIds` are the org's repositories. */
  existingRepoIds(orgId: string, repoIds: readonly string[]): Promise<string[]>;
}
