import type { NotificationRule } from './notification-rule';

/**
 * A digest rule's Temporal Schedule, kept in step with the rule by one mechanism, the schedule
 * reconciler (ReconcileNotificationSchedules, every few seconds in each API process): applied while
 * the rule is an enabled digest, removed once it is deleted, disabled or turned immediate. The rule
 * use cases never call it, so a Schedule change never rides on a request. Idempotent: several API
 * replicas reconcile at once.
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
