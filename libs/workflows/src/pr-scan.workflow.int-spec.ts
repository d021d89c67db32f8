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
  // A new head, each newer than the one before (as pull_request deliveries name them).
  const request = (over: Partial<PullRequestCheckRequest> = {}): PullRequestCheckRequest => {
    const at = new Date((clock += 1000)).toISOString();
    return {
      checkId: randomUUID(),
      headSha: randomUUID().replace(/-/g, '').padEnd(40, '0'),
      baseRef: 'main',
      baseSha: null,
      requestedBy: 'webhook:test',
      requestedAt: at,
      headAt: at,
      ...over,
    };
  };
  /** The same head asked for again (a rerequest, an accepted risk): a newer request time only. */
  const again = (r: PullRequestCheckRequest): PullRequestCheckRequest => ({
    ...r,
    requestedAt: new Date((clock += 1000)).toISOString(),
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

  it('ends a request that arrives after a newer one (relayed out of order) as superseded', async () => {
    const steps = new Steps();
    const { worker, taskQueue, input } = await start(steps);
    await worker.runUntil(async () => {
      const older = request();
      const newer = request();
      const handle = await send(taskQueue, input, newer);
      // The first and only copy of the older request.
      await send(taskQueue, input, older);
      await handle.result();
      expect(steps.calls).toContain(`supersede:${older.checkId}`);
      expect(steps.calls.filter((c) => c.startsWith('publish:'))).toEqual([`publish:${newer.checkId}`]);
    });
  });

  it('a rerequest of an older head never supersedes the newest head mid-check; it ends superseded', async () => {
    const steps = new Steps();
    const { worker, taskQueue, input } = await start(steps);
    await worker.runUntil(async () => {
      const h1 = request();
      const handle = await send(taskQueue, input, h1);
      await until(() => steps.calls.includes(`publish:${h1.checkId}`), 'h1 published');
      const h2 = request();
      steps.held.set(h2.checkId, () => undefined);
      await send(taskQueue, input, h2);
      await until(() => steps.calls.includes(`compare:${h2.checkId}`), 'h2 compare');
      // "Re-run" (or Accept risk) on h1's check run: same row, a newer request time, its old head time.
      await send(taskQueue, input, again(h1));
      // Released once the workflow has the rerequest in its history: it came while h2 was checked.
      let signals = 0;
      while (signals < 3) {
        const { events } = await handle.fetchHistory();
        signals = (events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
      }
      steps.held.get(h2.checkId)!();
      await handle.result();
      expect(steps.calls).toContain(`supersede:${h1.checkId}`);
      expect(steps.calls).not.toContain(`supersede:${h2.checkId}`);
      expect(steps.calls).not.toContain(`cancelled:${h2.checkId}`);
      expect(steps.calls.filter((c) => c.startsWith('publish:'))).toEqual([
        `publish:${h1.checkId}`,
        `publish:${h2.checkId}`,
      ]);
    });
  });

  it('restarts the check of the head being checked when it is asked for again (an accepted risk)', async () => {
    const steps = new Steps();
    const { worker, taskQueue, input } = await start(steps);
    await worker.runUntil(async () => {
      const head = request();
      steps.held.set(head.checkId, () => undefined);
      const handle = await send(taskQueue, input, head);
      await until(() => steps.calls.includes(`compare:${head.checkId}`), 'the first compare');
      steps.held.delete(head.checkId);
      await send(taskQueue, input, again(head));
      await handle.result();
      expect(steps.calls.filter((c) => !c.startsWith('cancelled:'))).toEqual([
        `begin:${head.checkId}`,
        `compare:${head.checkId}`,
        `begin:${head.checkId}`,
        `compare:${head.checkId}`,
        `publish:${head.checkId}`,
      ]);
    });
  });

  it('ends every row of a flood of concurrent requests, in any order, and completes the newest head', async () => {
    const steps = new Steps();
    const { worker, taskQueue, input } = await start(steps);
    await worker.runUntil(async () => {
      const requests = Array.from({ length: 300 }, () => request());
      const shuffled = [...requests].sort(() => Math.random() - 0.5);
      const handle = await send(taskQueue, input, shuffled[0]!);
      // Concurrent signals: the server takes them in no particular order.
      for (let i = 1; i < shuffled.length; i += 100)
        await Promise.all(shuffled.slice(i, i + 100).map((r) => send(taskQueue, input, r)));
      await temporal.client.workflow.getHandle(handle.workflowId).result();
      const newest = requests[requests.length - 1]!;
      const ended = new Map<string, string>();
      for (const call of steps.calls) {
        const [step, checkId] = call.split(':');
        if (step === 'supersede' || step === 'publish' || step === 'fail') ended.set(checkId!, step);
      }
      expect(requests.filter((r) => !ended.has(r.checkId))).toEqual([]);
      expect(ended.get(newest.checkId)).toBe('publish');
    });
  }, 300_000);
});
