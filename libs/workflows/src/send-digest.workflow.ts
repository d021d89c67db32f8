import { ChildWorkflowFailure, executeChild, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import {
  DELIVER_NOTIFICATION_WORKFLOW,
  deliverNotificationWorkflowId,
  type DeliverNotificationInput,
  type SendDigestInput,
} from '@repoguard/contract';

const { collectDigest, finishDigest } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  // Collecting reports each page read: a dead worker is noticed in a minute.
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
});

/**
 * Events are recorded with the change that causes them, stamped with their transaction's start:
 * one that commits a little after a digest's period ends could carry a time inside it. The period
 * ends this long before the run, so such an event is in this digest or, if it commits later, the next.
 */
export const DIGEST_SETTLE_MS = 60_000;

export type SendDigestResult =
  | { readonly outcome: 'nothing' | 'skipped'; readonly periodEnd: string }
  | {
      readonly outcome: 'delivered' | 'not_delivered';
      readonly periodEnd: string;
      readonly deliveryId: string;
      readonly events: number;
    };

/**
 * One digest of one rule, started by the rule's Schedule: the events selected since the last
 * successful digest, as one delivery (its own workflow, run as a child), and nothing at all when
 * nothing is new. The watermark moves only once the delivery was delivered.
 */
export async function sendDigestWorkflow(input: SendDigestInput): Promise<SendDigestResult> {
  // Workflow time is recorded with the run: a replay or a retried activity sees the same period.
  const periodEnd = new Date(Date.now() - DIGEST_SETTLE_MS).toISOString();
  const collected = await collectDigest({ ruleId: input.ruleId, periodEnd });
  if (collected.outcome !== 'delivery') {
    if (collected.outcome === 'skipped') log.info('digest skipped', { reason: collected.reason });
    return { outcome: collected.outcome, periodEnd };
  }
  const { deliveryId, events } = collected;
  try {
    await executeChild(DELIVER_NOTIFICATION_WORKFLOW, {
      workflowId: deliverNotificationWorkflowId(deliveryId),
      args: [{ deliveryId } satisfies DeliverNotificationInput],
    });
  } catch (error) {
    // The delivery's own retries are spent (or it was ended): the row tells what happened.
    if (!(error instanceof ChildWorkflowFailure)) throw error;
    log.warn('digest delivery workflow failed', { deliveryId, message: error.message });
  }
  const { delivered } = await finishDigest({ ruleId: input.ruleId, deliveryId, periodEnd });
  return { outcome: delivered ? 'delivered' : 'not_delivered', periodEnd, deliveryId, events };
}
