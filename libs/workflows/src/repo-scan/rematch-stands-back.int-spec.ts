import { type ScanRequest } from '@repoguard/contract';
import {
  rematchStandsBackInterceptor,
  ScanStepsInFlight,
  scanStepsInFlightInterceptor,
} from '@repoguard/infrastructure';
import type { Worker } from '@temporalio/worker';
import { gate } from '../../../../test/support/gate';
import { RepoScanClient, repoScanInput } from '../../../../test/support/repo-scan-client';
import { pushOf, rematchOf } from '../../../../test/support/scan-requests';
import { recordedSteps, scanHappyPath, type ScanActivities } from '../../../../test/support/scan-step-stubs';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../../test/support/temporal-harness';

// Issue 16, pushes during a sync: the worker app's scan worker and re-match worker share one process,
// and the re-match steps stand back while a push's steps run there. On the dev server with stubbed
// steps that record the order they ran in: the assertions are about order, not speed.

describe('re-match steps stand back while a scan runs in the same worker', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  /** Two repositories' workflows on one pair of queues, served by workers wired as the worker app. */
  async function fixture(stubs: Partial<ScanActivities>, maxHoldMs = 60_000) {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'stands-back');
    const rematchQueue = `${taskQueue}-rematch`;
    const { activities, calls } = recordedSteps({ ...scanHappyPath, ...stubs });
    const inFlight = new ScanStepsInFlight();
    const workers: Worker[] = [
      await temporal.createWorker({
        taskQueue,
        activities,
        interceptors: { activity: [scanStepsInFlightInterceptor(inFlight)] },
      }),
      await temporal.createWorker({
        taskQueue: rematchQueue,
        activities,
        workflowBundle: undefined,
        interceptors: { activity: [rematchStandsBackInterceptor(inFlight, { graceMs: 200, maxHoldMs })] },
      }),
    ];
    const running = workers.map((w) => w.run());
    const repos = new Map<string, RepoScanClient>();
    const repo = (name: string) => {
      if (!repos.has(name)) {
        const input = repoScanInput(`${taskQueue}-${name}`, {
          name,
          quietWindowMs: 50,
          maxWaitMs: 1_000,
          heartbeatTimeoutMs: 2_000,
        });
        repos.set(name, new RepoScanClient(temporal.client, taskQueue, input));
      }
      return repos.get(name)!;
    };
    const request = async (name: string, scanRequest: ScanRequest) => {
      await repo(name).request(scanRequest);
      return repo(name).handle;
    };
    const stop = async () => {
      for (const client of repos.values()) await client.handle.terminate('test over').catch(() => undefined);
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
    };
    return { rematchQueue, request, calls, stop };
  }

  it("begins a re-match step only once another repository's push has finished its step", async () => {
    const fetching = gate();
    const release = gate();
    let fetched = false;
    let fetchedWhenRematchBegan: boolean | undefined;
    const scan = await fixture({
      fetchManifest: async (input) => {
        fetching.open();
        await release.opened;
        fetched = true;
        return scanHappyPath.fetchManifest(input);
      },
      beginRematch: async (input) => {
        fetchedWhenRematchBegan = fetched;
        return scanHappyPath.beginRematch(input);
      },
    });
    try {
      const push = await scan.request('a', pushOf('c1'));
      await fetching.opened;
      const rematch = await scan.request('b', rematchOf('stored-b', scan.rematchQueue));
      // Long enough for the re-match's first step to be scheduled and taken by its worker.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const rematchStepsWhileFetching = scan.calls.filter((c) => c.step === 'beginRematch').length;
      release.open();
      const [pushed, rematched] = await Promise.all([push.result(), rematch.result()]);

      expect(rematchStepsWhileFetching).toBe(0);
      expect(pushed).toMatchObject({ phase: 'COMPLETED', commitSha: 'c1' });
      expect(rematched).toMatchObject({ phase: 'COMPLETED', commitSha: 'commit-of-stored-snapshot' });
      expect(fetchedWhenRematchBegan).toBe(true);
    } finally {
      await scan.stop();
    }
  });

  it('lets a re-match step begin after its hold while a push step runs on', async () => {
    const release = gate();
    const fetching = gate();
    const scan = await fixture(
      {
        fetchManifest: async (input) => {
          fetching.open();
          await release.opened;
          return scanHappyPath.fetchManifest(input);
        },
      },
      500,
    );
    try {
      const push = await scan.request('a', pushOf('c1'));
      await fetching.opened;
      const rematched = await (await scan.request('b', rematchOf('stored-b', scan.rematchQueue))).result();
      // The whole re-match completed while the push was still held at its fetch.
      expect(scan.calls.find((c) => c.step === 'fetchManifest')!.ended).toBeUndefined();
      release.open();
      expect(rematched).toMatchObject({ phase: 'COMPLETED' });
      expect(await push.result()).toMatchObject({ phase: 'COMPLETED', commitSha: 'c1' });
    } finally {
      release.open();
      await scan.stop();
    }
  });

  it('ends a standing-back re-match when a push to its own repository cancels it, and scans the push', async () => {
    const fetching = gate();
    const release = gate();
    const scan = await fixture({
      fetchManifest: async (input) => {
        if (input.repoId.endsWith('-a')) {
          fetching.open();
          await release.opened;
        }
        return scanHappyPath.fetchManifest(input);
      },
    });
    try {
      await scan.request('a', pushOf('c1'));
      await fetching.opened;
      const b = await scan.request('b', rematchOf('stored-b', scan.rematchQueue));
      // The re-match's first step is standing back (repository a's fetch is held); b gets a push.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await scan.request('b', pushOf('c2'));
      const result = await b.result();

      expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: 'c2', requestsCoalesced: 2 });
      // The re-match never began: its step was cancelled while it stood back.
      expect(scan.calls.filter((c) => c.step === 'beginRematch')).toEqual([]);
      expect(scan.calls.filter((c) => c.step === 'closeScan').map((c) => c.input['outcome'])).toEqual([
        'SUPERSEDED',
      ]);
    } finally {
      release.open();
      await scan.stop();
    }
  });
});
