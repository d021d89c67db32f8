import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  REPOGUARD_SEARCH_ATTRIBUTES,
  REPO_SCAN_WORKFLOW,
  scanRequestedSignal,
  type RepoScanInput,
  type ScanRequest,
} from '@repoguard/contract';
import type { Activities } from '@repoguard/activities';
import { findTemporalCli } from '@repoguard/infrastructure';
import { uniqueName, workflowBundle } from '../../../test/support/temporal-harness';
import type { repoScanWorkflow } from './repo-scan.workflow';

// The repo-scan workflow against Temporal's hard limits (review of issue 16, point 3). The shared
// dev server has the production limits (2 MB per payload, 10,000 signals per run), which take
// minutes of flooding to reach; this file's own server has them scaled down (32 KiB, 100 signals),
// so the same arithmetic is reached in seconds. The workflow's own bounds are scaled with them.

type ScanActivities = Pick<
  Activities,
  | 'fetchManifest'
  | 'parse'
  | 'osvQuery'
  | 'persist'
  | 'evaluatePolicy'
  | 'recordScanFailure'
  | 'beginRematch'
  | 'closeScan'
>;

const happyPath: ScanActivities = {
  fetchManifest: async (input) => ({
    commitSha: input.commitSha ?? 'head',
    ref: input.ref ?? 'refs/heads/main',
    manifests: [{ path: 'package-lock.json', blobSha: 'blob-1', size: 120 }],
  }),
  parse: async (input) => ({ snapshotId: `snapshot-of-${input.commitSha}`, dependencies: 12, reused: false }),
  osvQuery: async () => ({ queried: 12, vulnerabilities: 3, fetched: 3 }),
  persist: async () => ({ open: 2, opened: 2, fixed: 1 }),
  evaluatePolicy: async () => ({ status: 'WARN', policyVersion: null, reasons: 1 }),
  recordScanFailure: async () => undefined,
  beginRematch: async (input) => ({ commitSha: 'stored', snapshotId: input.snapshotId }),
  closeScan: async () => undefined,
};

const push = (n: number, ref = 'refs/heads/main'): ScanRequest => ({
  trigger: 'push',
  commitSha: `c${n}`,
  ref,
  requestedBy: 'github:push',
  requestId: `request-${n}`,
  deliveryId: `delivery-${n}`,
  sequence: n,
});

// Scaled down from 2 MB and 10,000 (see above).
const PAYLOAD_LIMIT_BYTES = 32 * 1024;
const SIGNALS_PER_RUN_LIMIT = 100;

describe('repoScanWorkflow at Temporal limits', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    const cli = findTemporalCli();
    if (!cli) throw new Error('No Temporal CLI (TEMPORAL_CLI)');
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli },
        ip: '127.0.0.1',
        namespace: 'repoguard-limits',
        searchAttributes: [...REPOGUARD_SEARCH_ATTRIBUTES],
        log: { format: 'pretty', level: 'error' },
        extraArgs: [
          '--dynamic-config-value',
          `limit.blobSize.error=${PAYLOAD_LIMIT_BYTES}`,
          '--dynamic-config-value',
          `limit.blobSize.warn=${PAYLOAD_LIMIT_BYTES / 2}`,
          '--dynamic-config-value',
          `history.maximumSignalsPerExecution=${SIGNALS_PER_RUN_LIMIT}`,
        ],
      },
    });
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
  });

  /** How each run of the workflow id closed. */
  async function closedRuns(workflowId: string): Promise<string[]> {
    const statuses: string[] = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      statuses.push(run.status.name);
    }
    return statuses;
  }

  async function fixture(input: Partial<RepoScanInput>, stubs: Partial<ScanActivities> = {}) {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'repo-scan-limits');
    const fetched: string[] = [];
    const activities = {
      ...happyPath,
      ...stubs,
      fetchManifest: async (i: Parameters<ScanActivities['fetchManifest']>[0]) => {
        fetched.push(i.commitSha ?? '');
        return (stubs.fetchManifest ?? happyPath.fetchManifest)(i);
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'repoguard-limits',
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities,
      shutdownGraceTime: '2 seconds',
    });
    const workflowId = `repo-scan:${taskQueue}`;
    const args: RepoScanInput = {
      orgId: 'org-1',
      repoId: taskQueue,
      owner: 'acme',
      name: 'monorepo',
      ...input,
    };
    return {
      fetched,
      handle: env.client.workflow.getHandle<typeof repoScanWorkflow>(workflowId),
      run: <T>(work: () => Promise<T>) => worker.runUntil(work()),
      /** As the relay sends a request: signal-with-start, joining the running scan. */
      request: (request: ScanRequest) =>
        env.client.workflow.signalWithStart<typeof repoScanWorkflow, [ScanRequest]>(REPO_SCAN_WORKFLOW, {
          workflowId,
          taskQueue,
          args: [args],
          signal: scanRequestedSignal,
          signalArgs: [request],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        }),
    };
  }

  // Pushes to many branches at once (Renovate opening its branches, a CI bot, API calls naming
  // refs): each run carried the newest request of every ref, so the carried list grew with every
  // continue-as-new of the quiet window, until the input passed the payload limit. Temporal then
  // refuses the continue-as-new and terminates the run: every request it held is lost.
  it('serves a flood of pushes to distinct branches in one scan, whatever the payload limit', async () => {
    const scan = await fixture({ quietWindowMs: 5_000, maxWaitMs: 120_000, continueAsNewAfterSignals: 40 });
    const total = 300;
    const seen = await scan.run(async () => {
      for (let n = 1; n <= total; n++) await scan.request(push(n, `refs/heads/renovate/dep-${n}`));
      const result = await scan.handle.result();
      return { result, closedAs: await closedRuns(scan.handle.workflowId) };
    });
    // Every run handed on (continue-as-new) or completed: none was terminated with what it held.
    expect(new Set(seen.closedAs)).toEqual(new Set(['CONTINUED_AS_NEW', 'COMPLETED']));
    expect(seen.result).toMatchObject({
      phase: 'COMPLETED',
      commitSha: `c${total}`,
      requestsCoalesced: total,
    });
    expect(scan.fetched).toEqual([`c${total}`]);
  }, 180_000);

  // The run bounds its signals only while it waits for a quiet window: during a scan every request
  // is a signal on the same run. A scan that lasts (a large repository, an org's steps queued behind
  // ORG_BUSY) while a flood goes on reaches the server's cap: signal-with-start is then refused
  // (INVALID_ARGUMENT, which the relay gives up on after its attempts) until the scan ends. The
  // run hands on at 3 x 5 signals here: the rest of the cap is headroom for the signals that come
  // while it closes the scan (as 6,000 of 10,000 leaves in production).
  it('takes no more signals during a scan than the server allows: a flood hands the scan on', async () => {
    let firstFetch = true;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let midScan!: () => void;
    const scanning = new Promise<void>((resolve) => (midScan = resolve));
    const scan = await fixture(
      { quietWindowMs: 300, maxWaitMs: 5_000, continueAsNewAfterSignals: 5 },
      {
        fetchManifest: async (input) => {
          if (firstFetch) {
            firstFetch = false;
            midScan();
            // Held until the flood is over, as a long scan would be.
            await released;
          }
          return happyPath.fetchManifest(input);
        },
      },
    );
    const total = 150;
    const seen = await scan.run(async () => {
      await scan.request(push(1));
      await scanning;
      const refused: string[] = [];
      // Paced (a request per 10 ms): a flood the worker keeps up with, as 4,000 signals of headroom
      // are in production. Back to back, 85 signals come before one workflow task of a loaded machine.
      for (let n = 2; n <= total; n++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await scan
          .request(push(n))
          .catch((error: Error) =>
            refused.push(`request-${n}: ${(error.cause as Error | undefined)?.message}`),
          );
      }
      release();
      const result = await scan.handle.result();
      return { refused, result, closedAs: await closedRuns(scan.handle.workflowId) };
    });
    expect(seen.refused.slice(0, 3)).toEqual([]);
    expect(seen.result).toMatchObject({ phase: 'COMPLETED', commitSha: `c${total}` });
    expect(seen.closedAs.filter((s) => s !== 'CONTINUED_AS_NEW' && s !== 'COMPLETED')).toEqual([]);
  }, 180_000);

  // A re-match whose queue has no worker (REMATCH_CONCURRENCY 0 on every worker, the re-match
  // workers down) is released after rematchQueueTimeoutMs, closed FAILED / REMATCH_DEFERRED and
  // handed to the next run. Before the `rematch-deferral-backoff` patch that run asked again after
  // one quiet window, for ever: a FAILED scan row per round for every affected repository, until a
  // push came (144 a day per repo by default). Now the fifth deferral is the last.
  it('defers a re-match no worker takes a bounded number of times', async () => {
    const codes: string[] = [];
    const scan = await fixture(
      { quietWindowMs: 100, maxWaitMs: 1_000, rematchQueueTimeoutMs: 300 },
      {
        closeScan: async (input) => {
          if (input.outcome === 'FAILED') codes.push(input.code ?? '');
        },
      },
    );
    let ended = false;
    await scan.run(async () => {
      await scan.request({
        trigger: 'advisory',
        requestedBy: 'sync-run-1',
        requestId: 'rematch-1',
        snapshotId: 'snapshot-1',
        taskQueue: `${uniqueName('no-rematch-worker')}`,
      });
      void scan.handle.result().finally(() => (ended = true));
      // Up to 30 s: unbounded, six deferrals come within seconds; bounded, the workflow ends first.
      for (let waited = 0; waited < 150 && codes.length < 6 && !ended; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });
    expect(codes).toEqual([...Array<string>(4).fill('REMATCH_DEFERRED'), 'REMATCH_ABANDONED']);
    expect(ended).toBe(true);
  }, 120_000);
});
