import type { Worker } from '@temporalio/worker';
import { patchIds } from '../../../../test/histories/history-recorder';
import { RepoScanClient, repoScanInput } from '../../../../test/support/repo-scan-client';
import { pushOf, rematchOf } from '../../../../test/support/scan-requests';
import { recordedSteps, scanHappyPath } from '../../../../test/support/scan-step-stubs';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../../test/support/temporal-harness';
import { REMATCH_WITHOUT_QUIET_WINDOW_PATCH } from './scan-request-inbox';

// A sync paces its re-matches by how fast scans serve them: a re-match that waited the quiet window
// held the whole sync to one window per few repositories. Only re-matches alone skip it; a push
// still gathers what comes in its window. Asserted on the history (a timer or none before the first
// step), not on time.

type Events = Awaited<ReturnType<RepoScanClient['events']>>;

/** Whether the run started a timer (the quiet window) before it scheduled its first step. */
function waitedBeforeFirstStep(events: Events): boolean {
  const firstStep = events.findIndex((e) => e.activityTaskScheduledEventAttributes);
  expect(firstStep).toBeGreaterThan(0);
  return events.slice(0, firstStep).some((e) => e.timerStartedEventAttributes);
}

describe('the quiet window and re-match requests', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  async function fixture(window: { quietWindowMs: number; maxWaitMs: number }) {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'rematch-quiet-window');
    const rematchQueue = `${taskQueue}-rematch`;
    const { activities, calls } = recordedSteps(scanHappyPath);
    const workers: Worker[] = [
      await temporal.createWorker({ taskQueue, activities }),
      await temporal.createWorker({ taskQueue: rematchQueue, activities, workflowBundle: undefined }),
    ];
    const running = workers.map((w) => w.run());
    const repo = new RepoScanClient(temporal.client, taskQueue, repoScanInput(taskQueue, window));
    const stop = async () => {
      await repo.handle.terminate('test over').catch(() => undefined);
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
    };
    return { repo, rematchQueue, calls, stop };
  }

  it('re-matches a stored snapshot at once, without waiting the quiet window', async () => {
    // A window far longer than the test's timeout: the re-match can only finish if it did not wait.
    const scan = await fixture({ quietWindowMs: 600_000, maxWaitMs: 1_200_000 });
    try {
      await scan.repo.request(rematchOf('stored-a', scan.rematchQueue));
      const waitedTooLong = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the re-match waited the quiet window')), 30_000).unref(),
      );
      expect(await Promise.race([scan.repo.result(), waitedTooLong])).toMatchObject({
        phase: 'COMPLETED',
        commitSha: 'commit-of-stored-snapshot',
      });
      const events = await scan.repo.events(scan.repo.firstRunId);
      expect(waitedBeforeFirstStep(events)).toBe(false);
      expect(patchIds({ events })).toContain(REMATCH_WITHOUT_QUIET_WINDOW_PATCH);
      expect(scan.calls.map((c) => c.step)).toContain('beginRematch');
    } finally {
      await scan.stop();
    }
  }, 60_000);

  it('still waits the quiet window when a push is pending with the re-match, and scans the push', async () => {
    const scan = await fixture({ quietWindowMs: 1_000, maxWaitMs: 10_000 });
    try {
      await scan.repo.request(pushOf('c1'));
      await scan.repo.request(rematchOf('stored-a', scan.rematchQueue));
      // The push's scan serves the re-match too: it matches against the advisories as stored now.
      expect(await scan.repo.result()).toMatchObject({ phase: 'COMPLETED', commitSha: 'c1' });
      const events = await scan.repo.events(scan.repo.firstRunId);
      expect(waitedBeforeFirstStep(events)).toBe(true);
      const steps = scan.calls.map((c) => c.step);
      expect(steps).not.toContain('beginRematch');
      expect(steps).not.toContain('rematchSnapshot');
    } finally {
      await scan.stop();
    }
  }, 60_000);
});
