import { ActivityFailure, ApplicationFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import {
  DEFAULT_DELIVERY_RETRY,
  type DeliverNotificationInput,
  type DeliverNotificationResult,
} from '@repoguard/contract';

const { giveUpNotificationDelivery } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One message to one channel (a `notification_deliveries` row), tried until it is delivered, a
 * receiver refuses it for good, or the retry budget runs out; the row records every attempt. The
 * send activity computes each wait itself (a receiver's Retry-After, else doubling), so the retry
 * policy here only bounds the whole effort.
 */
export async function deliverNotificationWorkflow(
  input: DeliverNotificationInput,
): Promise<DeliverNotificationResult> {
  const retry = { ...DEFAULT_DELIVERY_RETRY, ...input.retry };
  const { sendNotification } = proxyActivities<Activities>({
    // A sender bounds its own HTTP and SMTP calls well within this.
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: retry.giveUpAfterMs,
    retry: {
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: retry.maximumIntervalMs,
    },
  });
  try {
    return await sendNotification({ deliveryId: input.deliveryId, retry });
  } catch (error) {
    if (isCancellation(error)) throw error;
    await giveUpNotificationDelivery({ deliveryId: input.deliveryId, error: reasonOf(error) });
    return { status: 'failed' };
  }
}

function reasonOf(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === 'NOTIFICATION_DELIVERY_REFUSED') return 'Refused';
  return `Gave up after retries (${cause instanceof Error ? cause.message : String(cause)})`;
}
