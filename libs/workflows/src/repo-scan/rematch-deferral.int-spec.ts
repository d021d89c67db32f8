import type { temporal } from '@temporalio/proto';
import { scanForRequestQuery, type RepoScanInput } from '@repoguard/contract';
import { createTemporalHarness, type TemporalHarness } from '../../../../test/support/temporal-harness';
import { RepoScanFixture } from '../../../../test/support/repo-scan-workflow-fixture';
import { pushOf, rematchOf } from '../../../../test/support/scan-requests';

// A re-match no re-match worker takes (the re-match workers down): each deferral hands it to the
// next run, which waits longer before asking again and gives up at the bound; a push never waits.

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` holds, or after `ms` (a bound, so a failing test ends instead of hanging). */
async function eventually(check: () => Promise<boolean> | boolean, ms = 30_000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(50)) if (await check()) return true;
  return check();
}

/** `work`'s result, or a failure after `ms`: a workflow that never ends fails the test, not its timeout. */
async function within<T>(work: Promise<T>, ms = 40_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a run's history tells of it: its input, its timers' durations (ms) and what closed them. */
interface RunRecord {
  readonly runId: string;
  readonly input: RepoScanInput;
  readonly timers: { readonly ms: number; readonly ended: 'fired' | 'cancelled' | 'open' }[];
  readonly continuedAs: string | null;
}

function runRecord(runId: string, events: readonly HistoryEvent[]): RunRecord {
  const payload = events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!;
  const timers = events.flatMap((e) => {
    const started = e.timerStartedEventAttributes;
    if (!started) return [];
    const closed = events.find(
      (c) =>
        c.timerFiredEventAttributes?.timerId === started.timerId ||
        c.timerCanceledEventAttributes?.timerId === started.timerId,
    );
    const { seconds, nanos } = started.startToFireTimeout ?? {};
    const ended = closed?.timerFiredEventAttributes ? 'fired' : closed ? 'cancelled' : 'open';
    return [{ ms: Number(seconds ?? 0) * 1_000 + Math.round((nanos ?? 0) / 1e6), ended } as const];
  });
  const last = events[events.length - 1]!;
  return {
    runId,
    input: JSON.parse(Buffer.from(payload).toString('utf8')) as RepoScanInput,
    timers,
    continuedAs: last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? null,
  };
}

/** No worker ever polls its re-match queue: the re-match workers are down. */
class UnservedRematchScan extends RepoScanFixture {
  override readonly rematchQueue = `${this.taskQueue}-rematch-nobody-polls`;

  closed() {
    return this.called('closeScan').map((c) => c.input);
  }

  /** Every run from the first request on, following continue-as-new. */
  async runs(): Promise<RunRecord[]> {
    return (await this.chain()).map(({ runId, events }) => runRecord(runId, events));
  }
}

describe('repoScanWorkflow: a re-match no worker takes', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  const fixture = async (input: Partial<RepoScanInput>) =>
    (
      await UnservedRematchScan.create(temporal, {
        input: { quietWindowMs: 100, rematchQueueTimeoutMs: 300, ...input },
      })
    ).start();

  const rematch = (taskQueue: string) => rematchOf('snapshot-1', taskQueue, { requestId: 'rematch-1' });

  it('waits twice as long after each deferral, the count carried by each continue-as-new, and gives up at the bound', async () => {
    const scan = await fixture({ maxRematchDeferrals: 4 });
    try {
      await scan.request(rematch(scan.rematchQueue));
      const result = await within(scan.handle.result());

      // The waiter is answered: the last scan closed FAILED and the workflow ended with it.
      expect(result).toMatchObject({ phase: 'FAILED', errorCode: 'REMATCH_ABANDONED', requestsCoalesced: 1 });
      expect(scan.closed().map((c) => [c['outcome'], c['code']])).toEqual([
        ['FAILED', 'REMATCH_DEFERRED'],
        ['FAILED', 'REMATCH_DEFERRED'],
        ['FAILED', 'REMATCH_DEFERRED'],
        ['FAILED', 'REMATCH_ABANDONED'],
      ]);
      expect(scan.closed().at(-1)!['scanId']).toBe(result.scanId);
      expect(await scan.handle.query(scanForRequestQuery, 'rematch-1')).toEqual({
        scanId: result.scanId,
        servedByThisRun: true,
      });

      const runs = await scan.runs();
      expect(runs.map((r) => r.input.rematchDeferrals)).toEqual([undefined, 1, 2, 3]);
      expect(runs.map((r) => r.input.carriedRequests?.map((c) => c.requestId))).toEqual([
        undefined,
        ['rematch-1'],
        ['rematch-1'],
        ['rematch-1'],
      ]);
      // Each handed-on run first waits out its backoff (twice the last), then the quiet window.
      expect(runs.slice(1).map((r) => r.timers[0])).toEqual([
        { ms: 200, ended: 'fired' },
        { ms: 400, ended: 'fired' },
        { ms: 800, ended: 'fired' },
      ]);
      expect(scan.inputsOf('fetchManifest')).toEqual([]);
      await scan.replay(runs);
    } finally {
      await scan.stop();
    }
  });

  it('restarts the count for a re-match a new advisory sync asks for during the backoff: it is not abandoned on its first deferral', async () => {
    // A 1 s quiet window: the backoff after one deferral is 2 s, long enough to ask during it.
    const scan = await fixture({ quietWindowMs: 1_000, maxRematchDeferrals: 2 });
    try {
      await scan.request(rematch(scan.rematchQueue));
      expect(await eventually(async () => (await scan.handle.describe()).runId !== scan.firstRunId)).toBe(
        true,
      );
      // A later sync changed other advisories: its re-match has never been asked before.
      await scan.request({ ...rematch(scan.rematchQueue), requestId: 'rematch-2', snapshotId: 'snapshot-2' });
      const result = await within(scan.handle.result());

      // The fresh request is deferred once and handed on like any first deferral; only its second
      // deferral reaches maxRematchDeferrals (2) and gives it up.
      expect(scan.closed().map((c) => c['code'])).toEqual([
        'REMATCH_DEFERRED',
        'REMATCH_DEFERRED',
        'REMATCH_ABANDONED',
      ]);
      expect(result).toMatchObject({ phase: 'FAILED', errorCode: 'REMATCH_ABANDONED' });
      const runs = await scan.runs();
      expect(runs.map((r) => r.input.rematchDeferrals)).toEqual([undefined, 1, 1]);
      await scan.replay(runs);
    } finally {
      await scan.stop();
    }
  });

  it('scans a push that comes during the backoff at once, and that scan serves the re-match', async () => {
    // A 3 s quiet window: the backoff after one deferral is 6 s, which the push must not wait out.
    const scan = await fixture({ quietWindowMs: 3_000, maxWaitMs: 20_000 });
    try {
      await scan.request(rematch(scan.rematchQueue));
      // Sent once the first run deferred the re-match and handed it on.
      expect(await eventually(async () => (await scan.handle.describe()).runId !== scan.firstRunId)).toBe(
        true,
      );
      await scan.request(pushOf('c1', { requestedBy: 'github:push', requestId: 'push-1', sequence: 1 }));
      const result = await within(scan.handle.result());

      expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'c1', requestsCoalesced: 2 });
      expect(scan.closed().map((c) => c['code'])).toEqual(['REMATCH_DEFERRED']);
      expect(scan.inputsOf('fetchManifest').map((c) => c['commitSha'])).toEqual(['c1']);
      // It matched the advisories as stored now: the re-match needs no run of its own.
      expect(scan.inputsOf('osvQuery').at(-1)).toMatchObject({ freshAdvisories: true });
      expect(await scan.handle.query(scanForRequestQuery, 'rematch-1')).toEqual({
        scanId: result.scanId,
        servedByThisRun: true,
      });
      const runs = await scan.runs();
      expect(runs).toHaveLength(2);
      expect(runs[1]!.input.rematchDeferrals).toBe(1);
      // The push cut the backoff short: its timer was cancelled, not waited out.
      expect(runs[1]!.timers[0]).toEqual({ ms: 6_000, ended: 'cancelled' });
      await scan.replay(runs);
    } finally {
      await scan.stop();
    }
  });
});
