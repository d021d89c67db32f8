import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { Activities } from '@repoguard/activities';
import {
  PR_SCAN_WORKFLOW,
  prScanWorkflowId,
  pullRequestCheckRequested,
  type PrScanInput,
  type PullRequestCheckRequest,
} from '@repoguard/contract';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../test/support/temporal-harness';

type CheckActivities = Pick<
  Activities,
  | 'beginPullRequestCheck'
  | 'comparePullRequest'
  | 'publishPullRequestCheck'
  | 'supersedePullRequestCheck'
  | 'failPullRequestCheck'
>;

/** What the stubbed steps were asked, in order: `step:checkId`. */
class Steps {
  readonly calls: string[] = [];
  /** Released by the test: a compare of these check ids waits (heartbeating) until then. */
  readonly held = new Map<string, () => void>();
  compareFails: string | null = null;

  activities(): CheckActivities {
    const calls = this.calls;
    return {
      beginPullRequestCheck: async (input) => {
        calls.push(`begin:${input.checkId}`);
        return { proceed: true };
      },
      comparePullRequest: async (input) => {
        calls.push(`compare:${input.checkId}`);
        if (this.compareFails) throw ApplicationFailure.nonRetryable('too large', this.compareFails);
        if (this.held.has(input.checkId) || this.holdAll) {
          const context = Context.current();
          await new Promise<void>((resolve, reject) => {
            this.held.set(input.checkId, resolve);
            const beat = setInterval(() => context.heartbeat(), 100);
            context.cancelled.catch((error: unknown) => {
              clearInterval(beat);
              calls.push(`cancelled:${input.checkId}`);
              reject(error);
            });
          });
        }
        return { status: 'OK', manifestsChanged: 1, introduced: 0, resolved: 0, accepted: 0 };
      },
      publishPullRequestCheck: async (input) => {
        calls.push(`publish:${input.checkId}`);
        return { conclusion: 'success' };
      },
      supersedePullRequestCheck: async (input) => {
        calls.push(`supersede:${input.checkId}`);
      },
      failPullRequestCheck: async (input) => {
        calls.push(`fail:${input.checkId}:${input.errorCode}`);
      },
    };
  }

  holdAll = false;
}

// The pull-request check workflow on the Temporal dev server; its steps are stubs.
describe('prScanWorkflow', () => {
  let temporal: TemporalHarness;
  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => temporal?.close());

  async function start(steps: Steps): Promise<{ worker: Worker; taskQueue: string; input: PrScanInput }> {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'pr-scan');
    const worker = await temporal.createWorker({ taskQueue, activities: steps.activities() });
    const input: PrScanInput = {
      orgId: randomUUID(),
      repoId: randomUUID(),
      owner: 'acme',
      name: 'api',
      prNumber: 7,
      defaultBranch: 'main',
      quietWindowMs: 1_500,
      idleMs: 3_000,
      heartbeatTimeoutMs: 2_000,
    };
    return { worker, taskQueue, input };
  }

  let clock = Date.now();
  const request = (over: Partial<PullRequestCheckRequest> = {}): PullRequestCheckRequest => ({
    checkId: randomUUID(),
    headSha: randomUUID().replace(/-/g, '').padEnd(40, '0'),
    baseRef: 'main',
    baseSha: null,
    requestedBy: 'webhook:test',
    // Each request newer than the one before, as the rows' request times are.
    requestedAt: new Date((clock += 1000)).toISOString(),
    ...over,
  });

  const send = (taskQueue: string, input: PrScanInput, r: PullRequestCheckRequest) =>
    temporal.client.workflow.signalWithStart(PR_SCAN_WORKFLOW, {
      workflowId: prScanWorkflowId(input.repoId, input.prNumber),
      taskQueue,
      args: [input],
      signal: pullRequestCheckRequested,
      signalArgs: [r],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });

  const until = async (done: () => boolean, what: string) => {
    for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
    if (!done()) throw new Error(`timed out waiting for ${what}`);
  };

  it('debounces two quick heads into one check of the newest; a second copy of a request is dropped', async () => {
    const steps = new Steps();
    const { worker, taskQueue, input } = await start(steps);
    await worker.runUntil(async () => {
      const older = request();
      const newer = request();
      const handle = await send(taskQueue, input, older);
      await send(taskQueue, input, newer);
      // The relay's late copy of the older request, and a second copy of the newer one.
      await send(taskQueue, input, older);
      await send(taskQueue, input, newer);
      await handle.result();
      expect(steps.calls).toEqual([
        `supersede:${older.checkId}`,
        `begin:${newer.checkId}`,
        `compare:${newer.checkId}`,
        `publish:${newer.checkId}`,
      ]);
    });
  });

  it('cancels the check of an older head when a newer head comes mid-check, and checks the newer one', async () => {
    const steps = new Steps();
    const { worker, taskQueue, input } = await start(steps);
    await worker.runUntil(async () => {
      const older = request();
      steps.held.set(older.checkId, () => undefined);
      const handle = await send(taskQueue, input, older);
      await until(() => steps.calls.includes(`compare:${older.checkId}`), 'the older compare');
      const newer = request();
      await send(taskQueue, input, newer);
      await handle.result();
      // The step hears of its cancellation at its next heartbeat, while the workflow goes on.
      await until(() => steps.calls.includes(`cancelled:${older.checkId}`), 'the older compare cancelled');
      expect(steps.calls.filter((c) => !c.startsWith('cancelled:'))).toEqual([
        `begin:${older.checkId}`,
        `compare:${older.checkId}`,
        `supersede:${older.checkId}`,
        `begin:${newer.checkId}`,
        `compare:${newer.checkId}`,
        `publish:${newer.checkId}`,
      ]);
      // Only the newest head is published.
      expect(steps.calls.filter((c) => c.startsWith('publish:'))).toEqual([`publish:${newer.checkId}`]);
    });
  });

  it('records a check whose step failed for good as failed, with the error code, and ends', async () => {
    const steps = new Steps();
    steps.compareFails = 'MANIFEST_TOO_LARGE';
    const { worker, taskQueue, input } = await start(steps);
    await worker.runUntil(async () => {
      const only = request();
      const handle = await send(taskQueue, input, only);
      await handle.result();
      expect(steps.calls).toEqual([
        `begin:${only.checkId}`,
        `compare:${only.checkId}`,
        `fail:${only.checkId}:MANIFEST_TOO_LARGE`,
      ]);
    });
  });

  it('continues as new after its checks per run, carrying only the newest request', async () => {
    const steps = new Steps();
    const { worker, taskQueue, input } = await start(steps);
    await worker.runUntil(async () => {
      const first = request();
      const handle = await send(taskQueue, { ...input, checksPerRun: 1 }, first);
      await until(() => steps.calls.includes(`publish:${first.checkId}`), 'the first check');
      const second = request();
      await send(taskQueue, { ...input, checksPerRun: 1 }, second);
      await until(() => steps.calls.includes(`publish:${second.checkId}`), 'the second check');
      const described = await temporal.client.workflow.getHandle(handle.workflowId).describe();
      expect(described.runId).not.toBe(handle.signaledRunId);
    });
  });
});
