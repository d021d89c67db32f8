import type { NotificationDelivery, NotificationDeliveryStatus } from './notification-delivery';
import type { NotificationEvent } from './notification-event';

export interface DeliveryToSend {
  readonly delivery: NotificationDelivery;
  /** The delivery's events still stored, oldest first, at most MAX_MESSAGE_EVENTS of them. */
  readonly events: readonly NotificationEvent[];
  /**
   * How many events the message stands for: those named still stored (a disconnected repository
   * takes its own) and, when any is, the ones past the named (`event_total`); 0 when none is left.
   */
  readonly eventCount: number;
  readonly org: { readonly id: string; readonly name: string };
  /** Digest deliveries: the rule's frequency, for the title. */
  readonly digestFrequency?: 'daily' | 'weekly';
}

export interface DeliveryAttemptOutcome {
  readonly status: Exclude<NotificationDeliveryStatus, 'pending'>;
  readonly error: string | null;
  readonly statusCode: number | null;
  readonly nextAttemptAt: Date | null;
  readonly at: Date;
}

/** What the delivery workflow's activities read and record, each call its own short transaction. */
export interface NotificationDeliveryAttempts {
  load(deliveryId: string): Promise<DeliveryToSend | null>;
  /** Counts an attempt before the message goes out, so a crash mid-send still shows it. */
  begin(deliveryId: string, at: Date): Promise<void>;
  record(deliveryId: string, outcome: DeliveryAttemptOutcome): Promise<void>;
  /** Ends a delivery `failed` (retries exhausted) unless it ended otherwise already. */
  giveUp(deliveryId: string, error: string, at: Date): Promise<void>;
}
