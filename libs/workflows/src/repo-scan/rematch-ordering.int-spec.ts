import { Context } from '@temporalio/activity';
import type { temporal as proto } from '@temporalio/proto';
import { scanForRequestQuery } from '@repoguard/contract';
import { createTemporalHarness, type TemporalHarness } from '../../../../test/support/temporal-harness';
import {
  RepoScanFixture,
  type RepoScanFixtureOptions,
} from '../../../../test/support/repo-scan-workflow-fixture';
import { gate } from '../../../../test/support/gate';
import { pushOf as push, rematchOf } from '../../../../test/support/scan-requests';
import { holdFetch, scanHappyPath, type ScanActivities } from '../../../../test/support/scan-step-stubs';

// Issue 16 points 1 and 2 on the dev server, with stubbed steps: a re-match never holds a push
// back, and a re-match a real scan already served is not run again after it.

// This file's fetchManifest answers main whatever ref a request names, as it did before the shared
// stubs.
const happyPath: ScanActivities = {
  ...scanHappyPath,
  fetchManifest: async (input) => ({ ...(await scanHappyPath.fetchManifest(input)), ref: 'refs/heads/main' }),
};

const rematch = (snapshotId: string, taskQueue: string, requestId = `rematch-${snapshotId}`) =>
  rematchOf(snapshotId, taskQueue, { requestId });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A bound on a wait that should end sooner: it keeps no test process alive. */
const bound = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Resolves once `check` holds, or after `ms` (a bound, so a failing test ends instead of hanging). */
async function eventually(check: () => boolean, ms = 20_000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(50)) if (check()) return true;
  return check();
}

/** The timers a run started before its first step (its debounce), as their durations in ms. */
function timersBeforeFirstStep(events: readonly proto.api.history.v1.IHistoryEvent[]): number[] {
  const firstStep = events.findIndex((e) => e.activityTaskScheduledEventAttributes);
  return events.slice(0, firstStep === -1 ? events.length : firstStep).flatMap((e) => {
    const timeout = e.timerStartedEventAttributes?.startToFireTimeout;
    return timeout ? [Number(timeout.seconds ?? 0) * 1000 + (timeout.nanos ?? 0) / 1e6] : [];
  });
}

describe('repoScanWorkflow: re-matches and newer scans', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  const fixture = async (options: RepoScanFixtureOptions = {}) =>
    (
      await RepoScanFixture.create(temporal, {
        ...options,
        stubs: { fetchManifest: happyPath.fetchManifest, ...options.stubs },
        // Heartbeats flush at most every 80 % of it: a cancelled step hears of it within seconds.
        input: { heartbeatTimeoutMs: 2_000, ...options.input },
      })
    ).start();

  describe('point 2: a push arriving during a re-match', () => {
    it('cancels the re-match and is scanned at once; the re-match closes SUPERSEDED', async () => {
      const pushEvaluated = gate();
      let rematchMatching: () => void = () => undefined;
      const matchingStarted = new Promise<void>((resolve) => (rematchMatching = resolve));
      let cancelSeen: boolean | undefined;
      const scan = await fixture({
        rematchWorker: true,
        stubs: {
          // The re-match's match step is slow and does not heed cancellation: it runs until the push
          // has been evaluated (for ever when pushes wait behind re-matches: a bound ends it then).
          // It heartbeats, so it learns whether it was cancelled.
          osvQuery: async (input) => {
            if (!input.snapshotId.startsWith('stored-')) return happyPath.osvQuery(input);
            rematchMatching();
            const beat = setInterval(() => Context.current().heartbeat(), 200);
            try {
              await Promise.race([pushEvaluated.opened, bound(15_000)]);
            } finally {
              clearInterval(beat);
            }
            cancelSeen = Context.current().cancellationSignal.aborted;
            return happyPath.osvQuery(input);
          },
          evaluatePolicy: async (input) => {
            if (input.snapshotId === 'snapshot-of-c2') pushEvaluated.open();
            return happyPath.evaluatePolicy(input);
          },
        },
      });
      try {
        const releasingRun = await scan.request(rematch('stored-1', scan.rematchQueue));
        await matchingStarted;
        await scan.request(push('c2'));
        const result = await scan.handle.result();
        // The re-match's request is answered with the scan that served it (the push's), by the run
        // that let it go and by the run that took it over, not with the scan closed SUPERSEDED.
        for (const runId of [releasingRun, undefined]) {
          const answer = await temporal.client.workflow
            .getHandle(scan.handle.workflowId, runId)
            .query(scanForRequestQuery, 'rematch-stored-1');
          expect({ runId, scanId: answer?.scanId }).toEqual({ runId, scanId: result.scanId });
        }

        const rematchMatch = scan.called('osvQuery').find((c) => c.input['snapshotId'] === 'stored-1')!;
        const pushEvaluation = scan
          .called('evaluatePolicy')
          .find((c) => c.input['snapshotId'] === 'snapshot-of-c2');
        // The push's scan completed while the re-match's step was still running: nothing waited for it.
        expect(pushEvaluation?.ended).toBeLessThan(rematchMatch.ended ?? Infinity);
        expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'c2', requestsCoalesced: 2 });
        // The order of scans: the re-match began, was closed SUPERSEDED, then the push was scanned;
        // the re-match wrote nothing (no persist, no verdict of its own).
        const rematchScanId = scan.called('beginRematch')[0]!.input['scanId'];
        expect(scan.stepsCalled().filter((s) => s !== 'osvQuery')).toEqual([
          'beginRematch',
          'closeScan',
          'fetchManifest',
          'parse',
          'persist',
          'evaluatePolicy',
        ]);
        expect(scan.called('closeScan').map((c) => c.input)).toEqual([
          expect.objectContaining({ scanId: rematchScanId, outcome: 'SUPERSEDED', trigger: 'advisory' }),
        ]);
        expect(scan.called('persist').map((c) => c.input['scanId'])).toEqual([result.scanId]);
        expect(result.scanId).not.toBe(rematchScanId);
        // The push serves the re-match's request: it matched against the advisories as stored now.
        expect(scan.called('osvQuery').at(-1)!.input).toMatchObject({
          snapshotId: 'snapshot-of-c2',
          freshAdvisories: true,
        });
        // The re-match's step was cancelled (a step that heeds it stops writing: see the activities).
        expect(await eventually(() => cancelSeen !== undefined)).toBe(true);
        expect(cancelSeen).toBe(true);
        await scan.replay();
      } finally {
        await scan.stop();
      }
    });

    it('releases a re-match no re-match worker takes in time, and asks for it again', async () => {
      // No worker polls the re-match queue at first: a saturated queue, as during a large sync.
      const scan = await fixture({ input: { rematchQueueTimeoutMs: 1_000 } });
      try {
        await scan.request(rematch('stored-1', scan.rematchQueue));
        const released = await eventually(() => scan.called('closeScan').length > 0);
        expect(released).toBe(true);
        expect(scan.called('closeScan')[0]!.input).toMatchObject({
          outcome: 'FAILED',
          code: 'REMATCH_DEFERRED',
          trigger: 'advisory',
        });

        // Workers free up: the re-match asked again runs to its end.
        await scan.addRematchWorker();
        const result = await scan.handle.result();
        expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'commit-of-stored-snapshot' });
        expect(result.scanId).not.toBe(scan.called('closeScan')[0]!.input['scanId']);
        expect(scan.called('beginRematch').map((c) => c.taskQueue)).toContain(scan.rematchQueue);
        expect(scan.called('persist')).toHaveLength(1);
        await scan.replay();
      } finally {
        await scan.stop();
      }
    });
  });

  describe('point 1: a re-match a real scan already served', () => {
    it('is dropped when it arrived before the scan matched, and that scan completed', async () => {
      const fetching = gate();
      const release = gate();
      const scan = await fixture({
        rematchWorker: true,
        stubs: {
          fetchManifest: async (input) => {
            fetching.open();
            await release.opened;
            return happyPath.fetchManifest(input);
          },
        },
      });
      try {
        await scan.request(push('c1'));
        await fetching.opened;
        // The sync asks for a re-match of the snapshot it saw while the push is being fetched.
        await scan.request(rematch('stored-0', scan.rematchQueue));
        release.open();
        const result = await scan.handle.result();

        expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'c1', requestsCoalesced: 1 });
        // No re-match after the push: it would re-match an older snapshot, or repeat the push's match.
        expect(scan.called('beginRematch')).toEqual([]);
        expect(scan.stepsCalled()).toEqual([
          'fetchManifest',
          'parse',
          'osvQuery',
          'persist',
          'evaluatePolicy',
        ]);
        // The push's match served it, so it read the advisories as stored now.
        expect(scan.called('osvQuery')[0]!.input).toMatchObject({ freshAdvisories: true });
        await scan.replay();
      } finally {
        await scan.stop();
      }
    });

    it('still runs when it arrived after the scan had matched', async () => {
      const persisting = gate();
      const release = gate();
      const scan = await fixture({
        rematchWorker: true,
        stubs: {
          persist: async (input) => {
            if (input.snapshotId === 'snapshot-of-c1') {
              persisting.open();
              await release.opened;
            }
            return happyPath.persist(input);
          },
        },
      });
      try {
        await scan.request(push('c1'));
        await persisting.opened;
        await scan.request(rematch('stored-0', scan.rematchQueue));
        release.open();
        const result = await scan.handle.result();

        // Its import may be newer than the push's match: the re-match runs (on the newest snapshot,
        // which beginRematch looks up).
        expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'commit-of-stored-snapshot' });
        expect(scan.called('beginRematch')).toHaveLength(1);
        await scan.replay();
      } finally {
        await scan.stop();
      }
    });

    it('ends SUPERSEDED, with no verdict, when a newer scan persisted first', async () => {
      const scan = await fixture({
        rematchWorker: true,
        stubs: { persist: async () => ({ open: 0, opened: 0, fixed: 0, supersededBy: 'newer-scan' }) },
      });
      try {
        await scan.request(rematch('stored-1', scan.rematchQueue));
        const result = await scan.handle.result();

        expect(result).toMatchObject({ phase: 'SUPERSEDED', policyStatus: null, errorCode: null });
        expect(scan.stepsCalled()).toEqual(['beginRematch', 'osvQuery', 'persist']);
        await scan.replay();
      } finally {
        await scan.stop();
      }
    });
  });
  // Issue 16, push latency during a sync: a request handed to the next run has been waiting since it
  // arrived, so that run's quiet window counts from then, not from its own start.
  describe('a run handed requests waits only what is left of their quiet window', () => {
    it('scans a push that came during a scan at once when its quiet window passed meanwhile', async () => {
      const { fetchManifest, begun, release } = holdFetch();
      const scan = await fixture({
        stubs: { fetchManifest },
        input: { quietWindowMs: 2_000, maxWaitMs: 60_000 },
      });
      try {
        await scan.request(push('c1'));
        await begun;
        await scan.request(push('c2'));
        // Longer than the quiet window: nothing came after c2 for all of it.
        await sleep(3_000);
        release();
        const result = await scan.handle.result();
        const runs = await scan.chain();
        expect(runs).toHaveLength(2);
        expect(timersBeforeFirstStep(runs[0]!.events)).toEqual([2_000]);
        expect(timersBeforeFirstStep(runs[1]!.events)).toEqual([]);
        expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'c2' });
        await scan.replay(runs);
      } finally {
        await scan.stop();
      }
    });

    it('still waits out the rest of the window when it has not passed', async () => {
      const { fetchManifest, begun, release } = holdFetch();
      const scan = await fixture({
        stubs: { fetchManifest },
        input: { quietWindowMs: 8_000, maxWaitMs: 60_000 },
      });
      try {
        await scan.request(push('c1'));
        await begun;
        await scan.request(push('c2'));
        await sleep(2_000);
        release();
        const result = await scan.handle.result();
        const runs = await scan.chain();
        const [rest] = timersBeforeFirstStep(runs[1]!.events);
        // At least the 2 s waited during the scan is taken off; some of the window is left.
        expect(rest).toBeGreaterThan(0);
        expect(rest).toBeLessThanOrEqual(6_000);
        expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'c2' });
        await scan.replay(runs);
      } finally {
        await scan.stop();
      }
    });

    it('scans a push that ended a re-match at once when its quiet window passed while the re-match closed', async () => {
      let rematchMatching: () => void = () => undefined;
      const matchingStarted = new Promise<void>((resolve) => (rematchMatching = resolve));
      const scan = await fixture({
        rematchWorker: true,
        input: { quietWindowMs: 2_000, maxWaitMs: 60_000 },
        stubs: {
          osvQuery: async (input) => {
            if (!input.snapshotId.startsWith('stored-')) return happyPath.osvQuery(input);
            rematchMatching();
            const activity = Context.current();
            const beat = setInterval(() => activity.heartbeat(), 200);
            try {
              await Promise.race([activity.cancelled.catch(() => undefined), bound(15_000)]);
            } finally {
              clearInterval(beat);
            }
            return happyPath.osvQuery(input);
          },
          // Closing the superseded re-match takes longer than the quiet window (heartbeating: the
          // steps' heartbeat timeout is 2 s here).
          closeScan: async () => {
            const activity = Context.current();
            const beat = setInterval(() => activity.heartbeat(), 200);
            try {
              await sleep(3_000);
            } finally {
              clearInterval(beat);
            }
          },
        },
      });
      try {
        await scan.request(rematch('stored-1', scan.rematchQueue));
        await matchingStarted;
        await scan.request(push('c2'));
        const result = await scan.handle.result();
        const runs = await scan.chain();
        expect(runs).toHaveLength(2);
        expect(scan.called('closeScan').map((c) => c.input['outcome'])).toEqual(['SUPERSEDED']);
        expect(timersBeforeFirstStep(runs[1]!.events)).toEqual([]);
        expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'c2', requestsCoalesced: 2 });
        await scan.replay(runs);
      } finally {
        await scan.stop();
      }
    });
  });
});
