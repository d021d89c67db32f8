import type { NotificationChannelKind } from './notification-channel';
import type { NotificationEvent } from './notification-event';
import type { NotificationRule } from './notification-rule';
import type { RuleMute } from './rule-selects-event';

export type QueuedNotificationEvent = NotificationEvent & { readonly seq: number };

export interface DispatchRule extends NotificationRule {
  readonly channel: { readonly kind: NotificationChannelKind; readonly name: string };
}

export interface NewNotificationDelivery {
  readonly id: string;
  readonly org_id: string;
  readonly channel_id: string;
  readonly channel_kind: NotificationChannelKind;
  readonly channel_name: string;
  readonly rule_ids: readonly string[];
  readonly kind: 'immediate' | 'digest' | 'test';
  readonly group_key: string;
  /** At most MAX_MESSAGE_EVENTS, the first of the group. */
  readonly event_ids: readonly string[];
  /** Set when the group had more events than `event_ids` names. */
  readonly event_total?: number;
}

/**
 * The dispatcher's side of the events and the delivery log; used inside one transaction, whose
 * row locks keep several dispatchers off each other's events.
 */
export interface NotificationDispatchQueue {
  /**
   * Locks and returns undispatched events, oldest first, whose group is ready: no scan, or the scan
   * has ended, or the event is older than `groupWaitMs`; with the other undispatched events of the
   * same groups, so a group goes out whole however large. A group another dispatcher holds any
   * part of is skipped, never split. `limit` stops adding groups, never cuts one. Events come
   * without their payload (matching rules does not need it).
   */
  takeReadyEvents(options: {
    readonly limit: number;
    readonly groupWaitMs: number;
  }): Promise<QueuedNotificationEvent[]>;
  /** The enabled immediate rules of these orgs, with their channels' kind and name. */
  immediateRules(orgIds: readonly string[]): Promise<DispatchRule[]>;
  /** Mutes of these rules still running at `now`. */
  activeMutes(ruleIds: readonly string[], now: Date): Promise<RuleMute[]>;
  /** False when the channel already has a delivery of this group key (the idempotency key). */
  addDelivery(delivery: NewNotificationDelivery): Promise<boolean>;
  markDispatched(eventIds: readonly string[], at: Date): Promise<void>;
  /** Deliveries whose workflow was never started (Temporal was down), oldest first. */
  unstartedDeliveries(limit: number): Promise<string[]>;
  markStarted(deliveryIds: readonly string[], at: Date): Promise<void>;
}
