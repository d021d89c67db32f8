import type { NotificationDigests } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { FinishDigestInput, FinishDigestResult } from './notification-activity.types';

export interface FinishDigestDeps {
  readonly notificationDigests: NotificationDigests;
}

/**
 * After the digest's delivery workflow ended: the watermark moves to the period's end only when
 * the delivery row says delivered, so a digest that failed is sent again, whole, next time.
 */
export function createFinishDigestActivity({ notificationDigests: digests }: FinishDigestDeps) {
  return async function finishDigest(input: FinishDigestInput): Promise<FinishDigestResult> {
    return asActivity(async () => {
      const status = await digests.deliveryStatus(input.deliveryId);
      if (status !== 'delivered') return { delivered: false, status };
      await digests.advanceWatermark(input.ruleId, new Date(input.periodEnd));
      return { delivered: true, status };
    });
  };
}
