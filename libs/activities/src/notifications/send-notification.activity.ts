import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  boundedDeliveryError,
  composeNotificationMessage,
  deliveryIdempotencyKey,
  type NotificationChannelDirectory,
  type NotificationDeliveryAttempts,
  type NotificationSender,
} from '@repoguard/domain';
import {
  DEFAULT_DELIVERY_RETRY,
  type DeliverNotificationResult,
  type DeliveryRetrySettings,
} from '@repoguard/contract';

export interface SendNotificationDeps {
  readonly notificationAttempts: NotificationDeliveryAttempts;
  readonly notificationChannels: NotificationChannelDirectory;
  readonly notificationSender: NotificationSender;
  /** The API's public base URL for links in messages; null: none. */
  readonly notificationLinkBaseUrl: string | null;
  readonly now: () => Date;
}

export interface SendNotificationInput {
  readonly deliveryId: string;
  readonly retry?: Partial<DeliveryRetrySettings>;
}

/** The failure type of a receiver's final refusal: the workflow stops trying. */
export const DELIVERY_REFUSED = 'NOTIFICATION_DELIVERY_REFUSED';
export const DELIVERY_RETRYABLE = 'NOTIFICATION_DELIVERY_RETRYABLE';

/** The wait before attempt `attempt + 1`: the receiver's Retry-After, else doubling from the initial interval. */
export function nextRetryDelayMs(
  attempt: number,
  retry: DeliveryRetrySettings,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.min(retryAfterMs, retry.giveUpAfterMs);
  return Math.min(
    retry.maximumIntervalMs,
    retry.initialIntervalMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30),
  );
}

/**
 * One attempt at one delivery. A delivery already delivered (the completion of an earlier attempt
 * was lost) or skipped returns at once. Each attempt is counted before the message goes out; a
 * crash after the send and before the record sends again with the same idempotency key, which
 * receivers dedupe by (Standard Webhooks `webhook-id`, the email's Message-ID).
 */
export function createSendNotificationActivity(deps: SendNotificationDeps) {
  return async function sendNotification(input: SendNotificationInput): Promise<DeliverNotificationResult> {
    const retry = { ...DEFAULT_DELIVERY_RETRY, ...input.retry };
    const loaded = await deps.notificationAttempts.load(input.deliveryId).catch((error: unknown) => {
      // A database error's message may quote its whole statement: Temporal keeps only the gist.
      throw new Error(boundedDeliveryError(error instanceof Error ? error.message : String(error)));
    });
    if (!loaded) {
      throw ApplicationFailure.nonRetryable(
        `No notification delivery ${input.deliveryId}`,
        'NOTIFICATION_DELIVERY_NOT_FOUND',
      );
    }
    const { delivery } = loaded;
    if (delivery.status === 'delivered' || delivery.status === 'skipped') return { status: delivery.status };
    if (delivery.status === 'failed') return { status: 'failed' };

    if (delivery.event_ids.length > 0 && loaded.eventCount === 0) {
      // Every event went with its repository (disconnected): there is nothing left to tell.
      await deps.notificationAttempts.record(delivery.id, {
        status: 'skipped',
        error: 'The events of this delivery were deleted (their repository was disconnected)',
        statusCode: null,
        nextAttemptAt: null,
        at: deps.now(),
      });
      return { status: 'skipped' };
    }
    await deps.notificationAttempts.begin(delivery.id, deps.now());
    const opened = delivery.channel_id ? await deps.notificationChannels.open(delivery.channel_id) : null;
    if (!opened) {
      await deps.notificationAttempts.record(delivery.id, {
        status: 'skipped',
        error: 'The channel was deleted before the message was sent',
        statusCode: null,
        nextAttemptAt: null,
        at: deps.now(),
      });
      return { status: 'skipped' };
    }
    const message = composeNotificationMessage({
      kind: delivery.kind,
      idempotencyKey: deliveryIdempotencyKey(delivery.id),
      org: loaded.org,
      events: loaded.events,
      eventCount: loaded.eventCount,
      linkBaseUrl: deps.notificationLinkBaseUrl,
      createdAt: delivery.created_at,
      ...(loaded.digestFrequency ? { digestFrequency: loaded.digestFrequency } : {}),
    });
    const sent = await deps.notificationSender.send(opened.channel, opened.secret, message);
    const outcome = sent.delivered ? sent : { ...sent, error: boundedDeliveryError(sent.error) };
    const at = deps.now();
    if (outcome.delivered) {
      await deps.notificationAttempts.record(delivery.id, {
        status: 'delivered',
        error: null,
        statusCode: outcome.status_code,
        nextAttemptAt: null,
        at,
      });
      return { status: 'delivered' };
    }
    if (!outcome.retryable) {
      await deps.notificationAttempts.record(delivery.id, {
        status: 'failed',
        error: outcome.error,
        statusCode: outcome.status_code,
        nextAttemptAt: null,
        at,
      });
      throw ApplicationFailure.nonRetryable(outcome.error, DELIVERY_REFUSED, {
        status_code: outcome.status_code,
      });
    }
    const attempt = attemptNumber();
    const delayMs = nextRetryDelayMs(attempt, retry, outcome.retry_after_ms);
    await deps.notificationAttempts.record(delivery.id, {
      status: 'sending',
      error: outcome.error,
      statusCode: outcome.status_code,
      nextAttemptAt: new Date(at.getTime() + delayMs),
      at,
    });
    throw ApplicationFailure.create({
      type: DELIVERY_RETRYABLE,
      message: outcome.error,
      nonRetryable: false,
      nextRetryDelay: delayMs,
      details: [{ status_code: outcome.status_code }],
    });
  };
}

// Outside Temporal (unit tests) every call is a first attempt.
function attemptNumber(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}
