import type { NotificationRule } from './notification-rule';

/**
 * Keeps a digest rule's Temporal Schedule in step with the rule: created or updated when a digest
 * rule is saved (and enabled), removed when it is deleted, disabled or turned into an immediate rule.
 * Idempotent: several API replicas may call it for one change.
 */
export interface DigestScheduler {
  /**
   * Created when missing, updated when it differs, left alone when it matches. `listed`: the
   * fingerprint `list` gave for it; when it matches the rule's, nothing is read or written.
   */
  apply(rule: NotificationRule, listed?: string | null): Promise<'created' | 'updated' | 'unchanged'>;
  remove(ruleId: string): Promise<void>;
  /**
   * The rule ids of every digest Schedule there is, each with the fingerprint of the settings it was
   * last written with (a reconciler skips those that match without reading each one).
   */
  list(): Promise<ReadonlyMap<string, string | null>>;
}
