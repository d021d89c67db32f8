import type { NotificationChannelKind } from './notification-channel';
import type { NotificationEvent } from './notification-event';
import type { NotificationRule } from './notification-rule';
import type { RuleMute } from './rule-selects-event';

/** A digest rule as its run needs it: the rule, where its last successful digest ended, its channel. */
export interface DigestRuleState {
  readonly rule: NotificationRule;
  /** The end of the period of the last digest delivered (or of a run that found nothing); null: none yet. */
  readonly watermark: Date | null;
  readonly created_at: Date;
  readonly channel: { readonly id: string; readonly kind: NotificationChannelKind; readonly name: string };
}

/** Where a page of events ended: the next page starts after it. */
export interface EventCursor {
  readonly occurred_at: Date;
  readonly seq: string;
}

/** What a digest run reads and writes (system scope: the rule names its org). */
export interface NotificationDigests {
  /** Null when the rule is gone. */
  ruleState(ruleId: string): Promise<DigestRuleState | null>;
  mutes(ruleId: string): Promise<RuleMute[]>;
  /**
   * The org's events with `from < occurred_at <= to`, oldest first, after `cursor`, at most `limit`,
   * each with the cursor that follows it.
   */
  events(
    orgId: string,
    period: { readonly from: Date; readonly to: Date },
    cursor: EventCursor | null,
    limit: number,
  ): Promise<{ event: NotificationEvent; cursor: EventCursor }[]>;
  /**
   * The digest's delivery row (kind `digest`, pending, its workflow marked as started by the digest
   * run itself); when one with this group key exists for the channel (a retried run), that one's id.
   */
  recordDelivery(delivery: {
    readonly org_id: string;
    readonly rule_id: string;
    readonly channel: DigestRuleState['channel'];
    readonly group_key: string;
    readonly event_ids: readonly string[];
    /** Set when more events were selected than `event_ids` names (MAX_MESSAGE_EVENTS). */
    readonly event_total?: number;
  }): Promise<{ id: string; created: boolean }>;
  /** The delivery's status (`pending`, `sending`, `delivered`, `failed`, `skipped`); null when gone. */
  deliveryStatus(deliveryId: string): Promise<string | null>;
  /**
   * True when the delivery ended `failed` because a receiver refused it for good (a 4xx, a
   * rejected address), not because its retries ran out against an outage.
   */
  deliveryRefused(deliveryId: string): Promise<boolean>;
  /** Moves the rule's watermark forward to `to` (never back). */
  advanceWatermark(ruleId: string, to: Date): Promise<void>;
}
