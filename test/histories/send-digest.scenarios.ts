// A digest rule's run, for real with stub activities (no database, no receiver): the delivery it
// makes runs as a child workflow on the same worker, as in production.
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '@repoguard/activities';
import type { SendDigestInput } from '@repoguard/contract';
import { SEND_DIGEST_WORKFLOW } from '../../libs/contract/src/notification.contract';
import type { SendDigestResult } from '../../libs/workflows/src/send-digest.workflow';
import { expectBranch, type HistoryScenario, type RecordingContext } from './history-recorder';

type DigestActivities = Pick<
  Activities,
  'collectDigest' | 'finishDigest' | 'sendNotification' | 'giveUpNotificationDelivery'
>;

const COLLECT = 'ActivityTaskScheduled:collectDigest';
const FINISH = 'ActivityTaskScheduled:finishDigest';
const CHILD = 'StartChildWorkflowExecutionInitiated';
const CHILD_DONE = 'ChildWorkflowExecutionCompleted';

async function digest(context: RecordingContext, activities: DigestActivities) {
  const workflowId = `notification-digest:${context.taskQueue}`;
  const { handle, result } = await context.withWorker(activities, async () => {
    const started = await context.client.workflow.start<
      (input: SendDigestInput) => Promise<SendDigestResult>
    >(SEND_DIGEST_WORKFLOW, {
      workflowId,
      taskQueue: context.taskQueue,
      args: [{ ruleId: `rule-${context.taskQueue}` }],
    });
    return { handle: started, result: await started.result() };
  });
  return { history: await context.history(workflowId, handle.firstExecutionRunId), result };
}

function expectOutcome(branch: string, result: SendDigestResult, outcome: SendDigestResult['outcome']) {
  if (result.outcome !== outcome) throw new Error(`${branch}: the digest ended ${JSON.stringify(result)}`);
}

/**
 * A digest with events: one delivery row, whose workflow ends as `send` makes it end, and the
 * delivery's status as `finishDigest` reads it afterwards.
 */
function withEvents(
  context: RecordingContext,
  send: DigestActivities['sendNotification'],
  finished: Awaited<ReturnType<DigestActivities['finishDigest']>>,
): DigestActivities {
  return {
    collectDigest: async () => ({
      outcome: 'delivery',
      deliveryId: `delivery-${context.taskQueue}`,
      events: 3,
      periodFrom: '2026-01-01T00:00:00.000Z',
    }),
    sendNotification: send,
    giveUpNotificationDelivery: async () => undefined,
    finishDigest: async () => finished,
  };
}

export const sendDigestScenarios: readonly HistoryScenario[] = [
  {
    workflow: 'send-digest',
    branches: ['digest-delivered'],
    covers:
      'events since the watermark: one delivery, run as a child workflow and delivered; the watermark moves',
    async record(context) {
      const { history, result } = await digest(
        context,
        withEvents(context, async () => ({ status: 'delivered' }), { delivered: true, status: 'delivered' }),
      );
      expectBranch('digest-delivered', history, {
        has: ['WorkflowExecutionCompleted', CHILD_DONE],
        count: { [COLLECT]: 1, [CHILD]: 1, [FINISH]: 1 },
      });
      expectOutcome('digest-delivered', result, 'delivered');
      return { 'digest-delivered': history };
    },
  },
  {
    workflow: 'send-digest',
    branches: ['digest-not-delivered'],
    covers:
      'the digest delivery refused for good (given up as failed): the watermark stays for the next digest',
    async record(context) {
      const refuse = async (): Promise<never> => {
        throw ApplicationFailure.nonRetryable('HTTP 404', 'NOTIFICATION_DELIVERY_REFUSED');
      };
      const { history, result } = await digest(
        context,
        withEvents(context, refuse, { delivered: false, status: 'failed' }),
      );
      expectBranch('digest-not-delivered', history, {
        has: ['WorkflowExecutionCompleted', CHILD_DONE],
        count: { [COLLECT]: 1, [CHILD]: 1, [FINISH]: 1 },
      });
      expectOutcome('digest-not-delivered', result, 'not_delivered');
      return { 'digest-not-delivered': history };
    },
  },
  {
    workflow: 'send-digest',
    branches: ['digest-nothing'],
    covers: 'nothing new in the period: no delivery, no message',
    async record(context) {
      const { history, result } = await digest(context, {
        collectDigest: async () => ({ outcome: 'nothing' }),
        finishDigest: async () => {
          throw new Error('a digest with nothing new finishes nothing');
        },
        sendNotification: async () => {
          throw new Error('a digest with nothing new sends nothing');
        },
        giveUpNotificationDelivery: async () => undefined,
      });
      expectBranch('digest-nothing', history, {
        has: ['WorkflowExecutionCompleted'],
        lacks: [CHILD, FINISH],
        count: { [COLLECT]: 1 },
      });
      expectOutcome('digest-nothing', result, 'nothing');
      return { 'digest-nothing': history };
    },
  },
];
