// The ignore-expiry timer's branches, run for real with stub activities (no database).
import type { Activities } from '@repoguard/activities';
import { EXPIRE_TRIAGE_WORKFLOW, expireTriageWorkflowId, type ExpireTriageInput } from '@repoguard/contract';
import { expectBranch, type HistoryScenario, type RecordingContext } from './history-recorder';

type ExpiryActivities = Pick<Activities, 'expireTriage'>;

async function expiry(context: RecordingContext, activities: ExpiryActivities) {
  const findingId = `finding-${context.taskQueue}`;
  const handle = await context.withWorker(activities, async () => {
    // Ahead of the start, with the worker up: the run sleeps until it.
    const expiresAt = new Date(Date.now() + 2_000);
    const args: ExpireTriageInput = { findingId, expiresAt: expiresAt.toISOString() };
    const started = await context.client.workflow.start<(input: ExpireTriageInput) => Promise<string>>(
      EXPIRE_TRIAGE_WORKFLOW,
      {
        workflowId: expireTriageWorkflowId(findingId, expiresAt),
        taskQueue: context.taskQueue,
        args: [args],
      },
    );
    await started.result();
    return started;
  });
  return context.history(handle.workflowId, handle.firstExecutionRunId);
}

const SLEEP = 'TimerStarted';
const STEP = 'ActivityTaskScheduled:expireTriage';

export const expireTriageScenarios: readonly HistoryScenario[] = [
  {
    workflow: 'expire-triage',
    branches: ['expired'],
    covers: 'sleeps until the expiry, then reopens the finding in one step',
    async record(context) {
      const history = await expiry(context, { expireTriage: async () => ({ outcome: 'expired' }) });
      expectBranch('expired', history, {
        has: ['WorkflowExecutionCompleted'],
        count: { [SLEEP]: 1, [STEP]: 1 },
      });
      return { expired: history };
    },
  },
  {
    workflow: 'expire-triage',
    branches: ['worker-clock-behind'],
    covers: 'the step finds the expiry not yet passed by its clock: waits what it says, then reopens',
    async record(context) {
      let calls = 0;
      const history = await expiry(context, {
        expireTriage: async () =>
          ++calls === 1 ? { outcome: 'not_yet', waitMs: 200 } : { outcome: 'expired' },
      });
      expectBranch('worker-clock-behind', history, {
        has: ['WorkflowExecutionCompleted'],
        count: { [SLEEP]: 2, [STEP]: 2 },
      });
      return { 'worker-clock-behind': history };
    },
  },
];
