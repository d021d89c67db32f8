import type { NotificationRule } from './notification-rule';

/**
 * Keeps a digest rule's Temporal Schedule in step with the rule: created or updated when a digest
 * rule is saved (and enabled), removed when it is deleted, disabled or turned into an immediate rule.
 * Idempotent: several API replicas may call it for one change.
 */
export interface DigestScheduler {
  apply(rule: NotificationRule): Promise<void>;
  remove(ruleId: string): Promise<void>;
}
