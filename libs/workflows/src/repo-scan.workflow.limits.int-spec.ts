import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { REPOGUARD_SEARCH_ATTRIBUTES, type RepoScanInput } from '@repoguard/contract';
import { findTemporalCli } from '@repoguard/infrastructure';
import { temporalHarnessOn, uniqueName } from '../../../test/support/temporal-harness';
import { RepoScanFixture } from '../../../test/support/repo-scan-workflow-fixture';
import { rematchOf, sequencedPush } from '../../../test/support/scan-requests';
import { holdFetch, scanHappyPath, type ScanActivities } from '../../../test/support/scan-step-stubs';

// The repo-scan workflow against Temporal's hard limits (review of issue 16, point 3). The shared
// dev server has the production limits (2 MB per payload, 10,000 signals per run), which take
// minutes of flooding to reach; this file's own server has them scaled down (32 KiB, 100 signals),
// so the same arithmetic is reached in seconds. The workflow's own bounds are scaled with them.

// This file's own stub values, kept as they were before the shared stubs.
const happyPath: ScanActivities = {
  ...scanHappyPath,
  fetchManifest: async (input) => ({
    ...(await scanHappyPath.fetchManifest(input)),
    commitSha: input.commitSha ?? 'head',
  }),
  beginRematch: async (input) => ({ commitSha: 'stored', snapshotId: input.snapshotId }),
};

const push = (n: number, ref = 'refs/heads/main') => sequencedPush(n, { ref });

class LimitsScan extends RepoScanFixture {
  /** The commits fetched, in order. */
  get fetched(): string[] {
    return this.inputsOf('fetchManifest').map((i) => i.commitSha ?? '');
  }
}

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

  const fixture = (input: Partial<RepoScanInput>, stubs: Partial<ScanActivities> = {}) =>
    LimitsScan.create(
      temporalHarnessOn(env.client, env.nativeConnection, env.namespace ?? 'repoguard-limits'),
      {
        stubs: { ...happyPath, ...stubs },
        input: { name: 'monorepo', ...input },
        start: { workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING },
      },
    );

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
    // The first fetch is held until the flood is over, as a long scan would be.
    const { fetchManifest, begun: scanning, release } = holdFetch(1, happyPath.fetchManifest);
    const scan = await fixture(
      { quietWindowMs: 300, maxWaitMs: 5_000, continueAsNewAfterSignals: 5 },
      { fetchManifest },
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
      await scan.request(
        rematchOf('snapshot-1', uniqueName('no-rematch-worker'), {
          requestedBy: 'sync-run-1',
          requestId: 'rematch-1',
        }),
      );
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
