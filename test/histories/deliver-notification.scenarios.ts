// The notification delivery workflow's branches, run for real with stub activities (no database,
// no receiver).
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '@repoguard/activities';
import type { DeliverNotificationInput, DeliverNotificationResult } from '@repoguard/contract';
import { DELIVER_NOTIFICATION_WORKFLOW } from '../../libs/contract/src/notification.contract';
import { expectBranch, type HistoryScenario, type RecordingContext } from './history-recorder';

type DeliveryActivities = Pick<Activities, 'sendNotification' | 'giveUpNotificationDelivery'>;

const SEND = 'ActivityTaskScheduled:sendNotification';
const GIVE_UP = 'ActivityTaskScheduled:giveUpNotificationDelivery';

async function deliver(context: RecordingContext, activities: DeliveryActivities) {
  const workflowId = `notification-delivery:${context.taskQueue}`;
  const args: DeliverNotificationInput = {
    deliveryId: 'delivery-recorded',
    retry: { initialIntervalMs: 100, maximumIntervalMs: 200, giveUpAfterMs: 60_000 },
  };
  const handle = await context.withWorker(activities, async () => {
    const started = await context.client.workflow.start<
      (input: DeliverNotificationInput) => Promise<DeliverNotificationResult>
    >(DELIVER_NOTIFICATION_WORKFLOW, { workflowId, taskQueue: context.taskQueue, args: [args] });
    await started.result();
    return started;
  });
  return context.history(workflowId, handle.firstExecutionRunId);
}

export const deliverNotificationScenarios: readonly HistoryScenario[] = [
  {
    workflow: 'deliver-notification',
    branches: ['delivered-after-retry'],
    covers: 'the receiver answers 503 once, then takes the message',
    async record(context) {
      let attempts = 0;
      const history = await deliver(context, {
        sendNotification: async () => {
          attempts++;
          if (attempts === 1)
            throw ApplicationFailure.create({
              type: 'NOTIFICATION_DELIVERY_RETRYABLE',
              message: 'HTTP 503',
              nextRetryDelay: 100,
            });
          return { status: 'delivered' };
        },
        giveUpNotificationDelivery: async () => undefined,
      });
      expectBranch('delivered-after-retry', history, {
        has: ['WorkflowExecutionCompleted'],
        lacks: [GIVE_UP],
        count: { [SEND]: 1 },
      });
      return { 'delivered-after-retry': history };
    },
  },
  {
    workflow: 'deliver-notification',
    branches: ['refused'],
    covers: 'the receiver refuses for good (404): the delivery is given up as failed',
    async record(context) {
      const history = await deliver(context, {
        sendNotification: async () => {
          throw ApplicationFailure.nonRetryable('HTTP 404', 'NOTIFICATION_DELIVERY_REFUSED');
        },
        giveUpNotificationDelivery: async () => undefined,
      });
      expectBranch('refused', history, {
        has: ['WorkflowExecutionCompleted'],
        count: { [SEND]: 1, [GIVE_UP]: 1 },
      });
      return { refused: history };
    },
  },
];
