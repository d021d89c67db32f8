import type { NotificationRule } from './notification-rule';

/** Every org's enabled digest rules, for the system's schedule reconciler. */
export interface DigestRuleDirectory {
  /** Enabled rules in mode `digest` with a schedule, in id order after `afterId`. */
  enabledDigestRules(afterId: string | null, limit: number): Promise<NotificationRule[]>;
}
