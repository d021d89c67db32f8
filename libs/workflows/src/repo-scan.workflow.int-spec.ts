import { ApplicationFailure } from '@temporalio/common';
import {
  RepoGuardStatus,
  RepoGuardTrigger,
  scanForRequestQuery,
  scanRequestedSignal,
  scanStatusQuery,
  type ScanRequest,
} from '@repoguard/contract';
import { createTemporalHarness, type TemporalHarness } from '../../../test/support/temporal-harness';
import {
  RepoScanFixture,
  type RepoScanFixtureOptions,
} from '../../../test/support/repo-scan-workflow-fixture';
import { gate } from '../../../test/support/gate';
import { pushOf, rematchOf as rematch } from '../../../test/support/scan-requests';
import {
  holdFetch,
  scanHappyPath as happyPath,
  type ScanActivities,
} from '../../../test/support/scan-step-stubs';

// The repo-scan workflow alone on the dev server: every activity is a stub, recording what it was
// given and on which task queue, so the tests assert the workflow's decisions (what it scans,
// where, how often) without a database or GitHub.

const push = (commitSha: string): ScanRequest =>
  pushOf(commitSha, { correlationId: `delivery-${commitSha}` });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fetchManifest stub that holds every scan at FETCHING: `at(n)` settles when the n-th fetch has
 * begun, `release(n)` lets it go on.
 */
function holdEveryFetch() {
  const begun: ReturnType<typeof gate>[] = [];
  const released: ReturnType<typeof gate>[] = [];
  const nth = (list: ReturnType<typeof gate>[], n: number) => (list[n] ??= gate());
  let fetches = 0;
  const fetchManifest: ScanActivities['fetchManifest'] = async (input) => {
    const n = ++fetches;
    nth(begun, n).open();
    await nth(released, n).opened;
    return happyPath.fetchManifest(input);
  };
  return {
    fetchManifest,
    at: (n: number) => nth(begun, n).opened,
    release: (n: number) => nth(released, n).open(),
  };
}

/** A push as the outbox relays it: stamped with the order it was committed in. */
const relayed = (commitSha: string, sequence: number, requestId = commitSha): ScanRequest => ({
  ...push(commitSha),
  requestId,
  sequence,
});

class ScanFixture extends RepoScanFixture {
  /** Runs the workers until the scan (and any follow-up) ends; what it left behind. */
  finish() {
    return this.run(async () => {
      const result = await this.handle.result();
      const { typedSearchAttributes } = await this.handle.describe();
      return {
        result,
        status: await this.handle.query(scanStatusQuery),
        trigger: typedSearchAttributes.get(RepoGuardTrigger),
        searchStatus: typedSearchAttributes.get(RepoGuardStatus),
      };
    });
  }
}

describe('repoScanWorkflow with stubbed activities', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  /** One test's scan, its workflow task given room: a flood's first task takes thousands of signals. */
  const scanFixture = (options: RepoScanFixtureOptions = {}) =>
    ScanFixture.create(temporal, { ...options, start: { workflowTaskTimeout: '30 seconds' } });

  it('coalesces requests that keep arriving within the quiet window into one scan', async () => {
    const scan = await scanFixture({ input: { quietWindowMs: 1_500 } });

    const result = await scan.run(async () => {
      // Six requests 300 ms apart span more than one quiet window: each one restarts it.
      for (const sha of ['c1', 'c2', 'c3', 'c4', 'c5', 'c6']) {
        await scan.request(push(sha));
        await sleep(300);
      }
      return scan.handle.result();
    });

    expect(result).toMatchObject({ phase: 'COMPLETED', requestsCoalesced: 6, commitSha: 'c6' });
    expect(scan.stepsCalled()).toEqual(['fetchManifest', 'parse', 'osvQuery', 'persist', 'evaluatePolicy']);
    // Pushes alone may match against a worker's copy of the advisories checked a moment ago.
    expect(scan.inputsOf('osvQuery')[0]).not.toHaveProperty('freshAdvisories');
  });

  it('scans once the maximum wait has passed, even while requests keep coming', async () => {
    const { fetchManifest, begun: midScan, release } = holdFetch();
    const scan = await scanFixture({
      stubs: { fetchManifest },
      input: { quietWindowMs: 1_000, maxWaitMs: 1_500 },
    });

    const seen = await scan.run(async () => {
      // A request every 250 ms never leaves a quiet second: only the maximum wait starts the scan.
      let scanning = false;
      void midScan.then(() => (scanning = true));
      let sent = 0;
      while (!scanning && sent < 40) {
        await scan.request(push(`c${++sent}`));
        await sleep(250);
      }
      // The stream goes on during the scan.
      for (let more = 0; more < 2; more++) await scan.request(push(`c${++sent}`));
      const status = await scan.handle.query(scanStatusQuery);
      release();
      return { sent, status, result: await scan.handle.result() };
    });

    expect(seen.sent).toBeLessThan(40);
    const firstBatch = seen.status.requestsReceived - seen.status.pendingRequests;
    expect(firstBatch).toBeGreaterThan(1);
    expect(scan.inputsOf('fetchManifest').map((i) => i.commitSha)).toEqual([
      `c${firstBatch}`,
      `c${seen.sent}`,
    ]);
    expect(seen.result).toMatchObject({
      phase: 'COMPLETED',
      commitSha: `c${seen.sent}`,
      requestsCoalesced: seen.sent - firstBatch,
    });
  });

  it('scans the newest request of a batch: its commit, caller and correlation id', async () => {
    const scan = await scanFixture();
    // Sent before any worker runs, so the first workflow task sees all three together.
    await scan.request(push('c1'));
    await scan.request({ trigger: 'api', requestedBy: 'user:alice', requestId: 'api-1' });
    await scan.request(push('c3'));

    const { result, assignments } = await scan.run(async () => {
      const result = await scan.handle.result();
      // A closed run answers a query by replaying its history on a worker: one at a time, and asked
      // again when a starved worker did not take it before the server's deadline (a loaded CI).
      const assignments = [];
      for (const id of ['c1', 'api-1', 'c3', 'never-sent']) {
        assignments.push(await queryClosedRun(() => scan.handle.query(scanForRequestQuery, id)));
      }
      return { result, assignments };
    });

    expect(result).toMatchObject({
      phase: 'COMPLETED',
      commitSha: 'c3',
      requestsCoalesced: 3,
      policyStatus: 'WARN',
    });
    expect(scan.inputsOf('fetchManifest')).toEqual([
      expect.objectContaining({
        scanId: result.scanId,
        commitSha: 'c3',
        trigger: 'push',
        requestedBy: 'github:c3',
        correlationId: 'delivery-c3',
      }),
    ]);
    const served = { scanId: result.scanId, servedByThisRun: true };
    expect(assignments).toEqual([served, served, served, null]);
  });

  it('gives the requests that arrive during a scan one follow-up run, under the scan id it promised', async () => {
    const { fetchManifest, begun: midScan, release } = holdFetch();
    const scan = await scanFixture({ stubs: { fetchManifest } });
    await scan.request(push('c1'));

    const seen = await scan.run(async () => {
      await midScan;
      const firstRunId = (await scan.handle.describe()).runId;
      for (const sha of ['c2', 'c3', 'c4']) await scan.request(push(sha));
      const during = {
        status: await scan.handle.query(scanStatusQuery),
        first: await scan.handle.query(scanForRequestQuery, 'c1'),
        later: await scan.handle.query(scanForRequestQuery, 'c3'),
      };
      release();
      const result = await scan.handle.result();
      const firstRun = await temporal.client.workflow
        .getHandle(scan.handle.workflowId, firstRunId)
        .describe();
      return { during, result, firstRun };
    });

    expect(seen.during.status).toMatchObject({ phase: 'FETCHING', requestsReceived: 4, pendingRequests: 3 });
    expect(seen.during.first).toEqual({ scanId: seen.during.status.scanId, servedByThisRun: true });
    expect(seen.during.later).toEqual({ scanId: expect.any(String), servedByThisRun: false });
    expect(seen.firstRun.status.name).toBe('CONTINUED_AS_NEW');
    // One follow-up for all three, scanning the newest, under the id the first run gave out.
    expect(seen.result).toMatchObject({
      phase: 'COMPLETED',
      scanId: seen.during.later!.scanId,
      commitSha: 'c4',
      requestsCoalesced: 3,
    });
    expect(scan.inputsOf('fetchManifest').map((i) => [i.scanId, i.commitSha])).toEqual([
      [seen.during.status.scanId, 'c1'],
      [seen.during.later!.scanId, 'c4'],
    ]);
  });

  it('re-matches a stored snapshot on the re-match queue when re-matches are all the batch holds', async () => {
    const scan = await scanFixture({ rematchWorker: true });
    await scan.request(rematch('snapshot-9', scan.rematchQueue));

    const { result, trigger } = await scan.finish();

    expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'commit-of-stored-snapshot' });
    expect(trigger).toBe('advisory');
    // One activity (rematch-one-activity), which runs the four steps.
    expect(await scan.scheduledActivities()).toEqual(['rematchSnapshot']);
    expect(scan.stepsCalled()).toEqual(['beginRematch', 'osvQuery', 'persist', 'evaluatePolicy']);
    expect(scan.inputsOf('beginRematch')).toEqual([
      expect.objectContaining({
        scanId: result.scanId,
        snapshotId: 'snapshot-9',
        requestedBy: 'system:advisories',
      }),
    ]);
    for (const step of ['osvQuery', 'persist', 'evaluatePolicy'] as const) {
      expect(scan.inputsOf(step)).toEqual([expect.objectContaining({ snapshotId: 'snapshot-9' })]);
    }
    // Matched against the advisories as stored now: the import that asked for it included.
    expect(scan.inputsOf('osvQuery')).toEqual([expect.objectContaining({ freshAdvisories: true })]);
    expect(scan.queuesUsed()).toEqual(new Set([scan.rematchQueue]));
  });

  it('scans in full, on the scan queue, when a push shares the batch with a re-match', async () => {
    const scan = await scanFixture({ rematchWorker: true });
    await scan.request(push('c1'));
    // Newer than the push, and still served by it: the push matches against the same advisories.
    await scan.request(rematch('snapshot-9', scan.rematchQueue));

    const { result, trigger } = await scan.finish();

    expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'c1', requestsCoalesced: 2 });
    expect(trigger).toBe('push');
    expect(scan.stepsCalled()).toEqual(['fetchManifest', 'parse', 'osvQuery', 'persist', 'evaluatePolicy']);
    // The push serves the re-match too, so it must see the import that asked for it.
    expect(scan.inputsOf('osvQuery')).toEqual([
      expect.objectContaining({ snapshotId: 'snapshot-of-c1', freshAdvisories: true }),
    ]);
    expect(scan.queuesUsed()).toEqual(new Set([scan.taskQueue]));
  });

  it('records a failed step on the scan and ends FAILED with its code', async () => {
    const scan = await scanFixture({
      stubs: {
        parse: async () => {
          throw ApplicationFailure.nonRetryable('package-lock.json is 12 MB', 'MANIFEST_TOO_LARGE');
        },
      },
    });
    await scan.request(push('c1'));

    const { result, status, searchStatus } = await scan.finish();

    expect(result).toEqual({
      scanId: expect.any(String),
      phase: 'FAILED',
      commitSha: 'c1',
      policyStatus: null,
      errorCode: 'MANIFEST_TOO_LARGE',
      requestsCoalesced: 1,
    });
    expect(status).toMatchObject({ phase: 'FAILED', errorCode: 'MANIFEST_TOO_LARGE', commitSha: 'c1' });
    expect(searchStatus).toBe('FAILED');
    expect(scan.stepsCalled()).toEqual(['fetchManifest', 'parse', 'recordScanFailure']);
    expect(scan.inputsOf('recordScanFailure')).toEqual([
      expect.objectContaining({
        scanId: result.scanId,
        code: 'MANIFEST_TOO_LARGE',
        message: 'package-lock.json is 12 MB',
        correlationId: 'delivery-c1',
      }),
    ]);
  });

  // Triggered for real, not simulated: the dev server suggests continue-as-new once a history holds
  // 4,096 events, and each request is one. The slowest test here (thousands of signals).
  it('carries a flood of requests to a fresh run when Temporal suggests continuing as new', async () => {
    const scan = await scanFixture({ input: { quietWindowMs: 3_000, maxWaitMs: 60_000 } });
    const flood = 4_200;
    await scan.request(push('c0'));
    const firstRunId = (await scan.handle.describe()).runId;
    // Sent before any worker runs: the first workflow task sees them all, in a history past the mark.
    for (let sent = 0; sent < flood; sent += 420) {
      await Promise.all(
        Array.from({ length: 420 }, (_, k) =>
          scan.handle.signal(scanRequestedSignal, {
            trigger: 'push',
            requestedBy: 'github',
            commitSha: `f${sent + k}`,
          }),
        ),
      );
    }

    const seen = await scan.run(async () => {
      const waiting = await scan.handle.query(scanStatusQuery);
      // One more request ends the wait for a quiet window; the suggestion sends them all onwards.
      await scan.request(push('last'));
      const result = await scan.handle.result();
      const firstRun = await temporal.client.workflow
        .getHandle(scan.handle.workflowId, firstRunId)
        .describe();
      return { waiting, result, firstRun };
    });

    expect(seen.waiting).toMatchObject({ phase: 'QUEUED', requestsReceived: flood + 1 });
    // The flooded run scanned nothing: its successor scanned every request, the newest commit.
    expect(seen.firstRun.status.name).toBe('CONTINUED_AS_NEW');
    expect(seen.result).toMatchObject({
      phase: 'COMPLETED',
      commitSha: 'last',
      requestsCoalesced: flood + 2,
    });
    expect(scan.inputsOf('fetchManifest')).toEqual([
      expect.objectContaining({ scanId: seen.result.scanId, commitSha: 'last' }),
    ]);
  }, 120_000);

  // Review proofs (issue 15, outbox): the relay is at least once (a crash between the signal and
  // markRelayed, a DEADLINE_EXCEEDED on a signal the server took, a lease that ran out), so a copy
  // can come after the run that held the request has moved on.
  describe('a request the outbox relays a second time (review proof)', () => {
    it('is acknowledged, not scanned again, when it arrives after its run continued as new', async () => {
      const { fetchManifest, at, release } = holdEveryFetch();
      const scan = await scanFixture({ stubs: { fetchManifest } });
      await scan.request(push('c1'));
      const seen = await scan.run(async () => {
        await at(1);
        const firstScanId = (await scan.handle.query(scanStatusQuery)).scanId;
        await scan.request(push('c2'));
        release(1);
        await at(2); // the follow-up run, scanning c2
        // The relay's second copy of c1: same request id.
        await scan.request(push('c1'));
        const assignment = await scan.handle.query(scanForRequestQuery, 'c1');
        release(2);
        return { firstScanId, assignment, result: await scan.handle.result() };
      });
      expect(scan.inputsOf('fetchManifest').map((i) => i.commitSha)).toEqual(['c1', 'c2']);
      expect(seen.result).toMatchObject({ commitSha: 'c2', requestsCoalesced: 1 });
      // Whoever asks about the copy learns the scan that served it.
      expect(seen.assignment).toEqual({ scanId: seen.firstScanId, servedByThisRun: false });
    });

    it('does not make the follow-up run scan an older commit than the newest request', async () => {
      const { fetchManifest, begun: midScan, release } = holdFetch();
      // A quiet window the stale copy surely lands in, whatever the machine's load.
      const scan = await scanFixture({ stubs: { fetchManifest }, input: { quietWindowMs: 2_000 } });
      await scan.request(push('c1'));
      const result = await scan.run(async () => {
        await midScan;
        const firstRunId = (await scan.handle.describe()).runId;
        await scan.request(push('c2'));
        release();
        // Wait for the follow-up run (c2 carried), then the stale copy of c1 arrives.
        while ((await scan.handle.describe()).runId === firstRunId) await sleep(50);
        await scan.request(push('c1'));
        return scan.handle.result();
      });
      expect(result.commitSha).toBe('c2');
    });

    it('scans the highest sequence of a batch when an older request arrives last', async () => {
      const scan = await scanFixture();
      // Sent before any worker runs: one batch, the older request (its first relay failed) last.
      await scan.request(relayed('c2', 2));
      await scan.request(relayed('c1', 1));

      const { result } = await scan.finish();

      expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'c2', requestsCoalesced: 2 });
      expect(scan.inputsOf('fetchManifest').map((i) => i.commitSha)).toEqual(['c2']);
    });

    it('acknowledges an older request first delivered after a newer one was scanned', async () => {
      const { fetchManifest, at, release } = holdEveryFetch();
      const scan = await scanFixture({ stubs: { fetchManifest } });
      await scan.request(relayed('c2', 2));
      const seen = await scan.run(async () => {
        await at(1);
        await scan.request(relayed('c3', 3));
        release(1);
        await at(2); // the follow-up run, scanning c3
        // Request 1 reaches the workflow only now (its first relays failed): c3 is newer.
        await scan.request(relayed('c1', 1, 'late-1'));
        const scanning = (await scan.handle.query(scanStatusQuery)).scanId;
        const assignment = await scan.handle.query(scanForRequestQuery, 'late-1');
        release(2);
        return { scanning, assignment, result: await scan.handle.result() };
      });
      expect(scan.inputsOf('fetchManifest').map((i) => i.commitSha)).toEqual(['c2', 'c3']);
      expect(seen.result).toMatchObject({ commitSha: 'c3', requestsCoalesced: 1 });
      expect(seen.assignment).toEqual({ scanId: seen.scanning, servedByThisRun: true });
    });

    it('still scans an older request for another ref', async () => {
      const { fetchManifest, at, release } = holdEveryFetch();
      const scan = await scanFixture({ stubs: { fetchManifest } });
      await scan.request(relayed('main-2', 2));
      await scan.run(async () => {
        await at(1);
        await scan.request({ ...relayed('dev-1', 1), ref: 'refs/heads/dev' });
        release(1);
        await at(2);
        release(2);
        return scan.handle.result();
      });
      expect(scan.inputsOf('fetchManifest').map((i) => i.commitSha)).toEqual(['main-2', 'dev-1']);
    });
  });
});

/** A query of a closed run, asked again (up to three times) when it timed out waiting for a worker. */
async function queryClosedRun<T>(ask: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      const timedOut = /DEADLINE_EXCEEDED/.test(String((error as { cause?: unknown }).cause ?? error));
      if (!timedOut || attempt === 3) throw error;
    }
  }
}
