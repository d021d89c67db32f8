// The pull-request check workflow's branches, run for real with stub activities (no database).
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import type { Activities } from '@repoguard/activities';
import {
  PR_SCAN_WORKFLOW,
  prScanWorkflowId,
  pullRequestCheckRequested,
  type PrScanInput,
  type PullRequestCheckRequest,
} from '@repoguard/contract';
import { expectBranch, type HistoryScenario, type RecordingContext } from './history-recorder';

type CheckActivities = Pick<
  Activities,
  | 'beginPullRequestCheck'
  | 'comparePullRequest'
  | 'publishPullRequestCheck'
  | 'supersedePullRequestCheck'
  | 'failPullRequestCheck'
>;

const SUMMARY = { status: 'OK', manifestsChanged: 1, introduced: 0, resolved: 0, accepted: 0 } as const;

function stubs(over: Partial<CheckActivities> = {}): CheckActivities {
  return {
    beginPullRequestCheck: async () => ({ proceed: true }),
    comparePullRequest: async () => SUMMARY,
    publishPullRequestCheck: async () => ({ conclusion: 'success' }),
    supersedePullRequestCheck: async () => undefined,
    failPullRequestCheck: async () => undefined,
    ...over,
  };
}

let clock = Date.parse('2026-12-05T00:00:00Z');
const request = (): PullRequestCheckRequest => {
  const at = new Date((clock += 1000)).toISOString();
  return {
    checkId: randomUUID(),
    headSha: randomUUID().replace(/-/g, '').padEnd(40, '0'),
    baseRef: 'main',
    baseSha: null,
    requestedBy: 'webhook:history',
    requestedAt: at,
    headAt: at,
  };
};

/** One pull request's workflow: `drive` signals it, the run ends when idle. */
async function pullRequest(
  context: RecordingContext,
  activities: CheckActivities,
  drive: (send: (r: PullRequestCheckRequest) => Promise<unknown>) => Promise<void>,
) {
  const input: PrScanInput = {
    orgId: randomUUID(),
    repoId: randomUUID(),
    owner: 'acme',
    name: `pr-${context.taskQueue}`.slice(0, 60),
    prNumber: 7,
    defaultBranch: 'main',
    quietWindowMs: 1_000,
    idleMs: 1_500,
    heartbeatTimeoutMs: 2_000,
  };
  const workflowId = prScanWorkflowId(input.repoId, input.prNumber);
  let firstRunId = '';
  await context.withWorker(activities, async () => {
    await drive(async (r) => {
      const handle = await context.client.workflow.signalWithStart(PR_SCAN_WORKFLOW, {
        workflowId,
        taskQueue: context.taskQueue,
        args: [input],
        signal: pullRequestCheckRequested,
        signalArgs: [r],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
      firstRunId ||= handle.signaledRunId;
    });
    await context.client.workflow.getHandle(workflowId, firstRunId).result();
  });
  return context.history(workflowId, firstRunId);
}

const step = (name: keyof CheckActivities) => `ActivityTaskScheduled:${name}`;

export const prScanScenarios: readonly HistoryScenario[] = [
  {
    workflow: 'pr-scan',
    branches: ['plain'],
    covers: 'one head: waits the quiet window, begins, compares, publishes, ends when idle',
    async record(context) {
      const history = await pullRequest(context, stubs(), (send) => send(request()).then(() => undefined));
      expectBranch('plain', history, {
        has: ['WorkflowExecutionCompleted'],
        count: {
          [step('beginPullRequestCheck')]: 1,
          [step('comparePullRequest')]: 1,
          [step('publishPullRequestCheck')]: 1,
        },
        lacks: [step('supersedePullRequestCheck'), step('failPullRequestCheck')],
      });
      return { plain: history };
    },
  },
  {
    workflow: 'pr-scan',
    branches: ['superseded'],
    covers: 'a newer head mid-check cancels the older check, supersedes its row and checks the newer',
    async record(context) {
      let compared = 0;
      let older: () => void = () => undefined;
      const startedOlder = new Promise<void>((resolve) => (older = resolve));
      const activities = stubs({
        comparePullRequest: async () => {
          if (++compared > 1) return SUMMARY;
          older();
          const activity = Context.current();
          const beat = setInterval(() => activity.heartbeat(), 100);
          try {
            // Until cancelled: the newer head's request cancels it.
            return await activity.cancelled.then(() => SUMMARY);
          } finally {
            clearInterval(beat);
          }
        },
      });
      const history = await pullRequest(context, activities, async (send) => {
        await send(request());
        await startedOlder;
        await send(request());
      });
      expectBranch('superseded', history, {
        has: ['WorkflowExecutionCompleted', 'ActivityTaskCancelRequested'],
        count: {
          [step('comparePullRequest')]: 2,
          [step('supersedePullRequestCheck')]: 1,
          [step('publishPullRequestCheck')]: 1,
        },
      });
      return { superseded: history };
    },
  },
  {
    workflow: 'pr-scan',
    branches: ['failed'],
    covers: 'the compare step fails for good: the row ends failed, a neutral check names the code',
    async record(context) {
      const activities = stubs({
        comparePullRequest: async () => {
          throw ApplicationFailure.nonRetryable('too large', 'MANIFEST_TOO_LARGE');
        },
      });
      const history = await pullRequest(context, activities, (send) => send(request()).then(() => undefined));
      expectBranch('failed', history, {
        has: ['WorkflowExecutionCompleted'],
        count: { [step('failPullRequestCheck')]: 1 },
        lacks: [step('publishPullRequestCheck')],
      });
      return { failed: history };
    },
  },
];
