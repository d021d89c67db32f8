import type { NotificationChannelKind } from './notification-channel';
import type { NotificationEventType } from './notification-event';

export const NOTIFICATION_DELIVERY_STATUSES = [
  'pending',
  'sending',
  'delivered',
  'failed',
  'skipped',
] as const;
/**
 * pending: not tried yet; sending: tried, and tried again later (next_attempt_at); delivered;
 * failed: a final refusal or retries exhausted; skipped: the channel was deleted first.
 */
export type NotificationDeliveryStatus = (typeof NOTIFICATION_DELIVERY_STATUSES)[number];

/** One message to one channel (`notification_deliveries`): the log the API shows and the workflow works on. */
export interface NotificationDelivery {
  readonly id: string;
  readonly org_id: string;
  /** Null once the channel is deleted; its kind and name stay for the log. */
  readonly channel_id: string | null;
  readonly channel_kind: NotificationChannelKind;
  readonly channel_name: string;
  readonly rule_ids: readonly string[];
  readonly kind: 'immediate' | 'digest' | 'test';
  /** With the channel, the idempotency key: one delivery per event group and channel. */
  readonly group_key: string;
  /** At most MAX_MESSAGE_EVENTS ids, the first of the group or digest. */
  readonly event_ids: readonly string[];
  /** How many events the delivery stands for when that is more than `event_ids` names. */
  readonly event_total?: number | null;
  readonly status: NotificationDeliveryStatus;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly last_status_code: number | null;
  readonly next_attempt_at: Date | null;
  readonly workflow_started_at: Date | null;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly delivered_at: Date | null;
}

/** A delivery as the log shows it: with what it carried. */
export interface NotificationDeliveryRecord extends NotificationDelivery {
  readonly event_count: number;
  readonly event_types: readonly NotificationEventType[];
}

/** What a receiver dedupes by: the Standard Webhooks `webhook-id`, the email's Message-ID. */
export function deliveryIdempotencyKey(deliveryId: string): string {
  return `rg-delivery-${deliveryId}`;
}

/** The most of an error a delivery keeps (the log, Temporal's failure): a reason, never a payload. */
export const MAX_DELIVERY_ERROR_CHARS = 500;

export function boundedDeliveryError(text: string): string {
  return text.length <= MAX_DELIVERY_ERROR_CHARS ? text : `${text.slice(0, MAX_DELIVERY_ERROR_CHARS - 1)}…`;
}

/**
 * The most events one message carries (a digest collects at most this many, a delivery loads at
 * most this many); the message still knows how many there were ("and N more").
 */
export const MAX_MESSAGE_EVENTS = 10_000;
