import type { NotificationDigests } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { FinishDigestInput, FinishDigestResult } from './notification-activity.types';

export interface FinishDigestDeps {
  readonly notificationDigests: NotificationDigests;
}

/**
 * After the digest's delivery workflow ended, the watermark moves to the period's end when the
 * delivery is final: delivered, skipped (nothing left to send), or refused for good by the
 * receiver (sending it again would be refused again and hold every later digest; the delivery
 * log keeps the failure). When retries ran out against an outage it stays, and the next digest
 * sends these events again with the new ones.
 */
export function createFinishDigestActivity({ notificationDigests: digests }: FinishDigestDeps) {
  return async function finishDigest(input: FinishDigestInput): Promise<FinishDigestResult> {
    return asActivity(async () => {
      const status = await digests.deliveryStatus(input.deliveryId);
      const final =
        status === 'delivered' ||
        status === 'skipped' ||
        (status === 'failed' && (await digests.deliveryRefused(input.deliveryId)));
      if (final) await digests.advanceWatermark(input.ruleId, new Date(input.periodEnd));
      return { delivered: status === 'delivered', advanced: final, status };
    });
  };
}
