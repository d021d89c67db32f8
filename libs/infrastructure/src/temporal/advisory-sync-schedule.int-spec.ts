import { ScheduleNotFoundError, ScheduleOverlapPolicy, WorkflowNotFoundError } from '@temporalio/client';
import type { Activities } from '@repoguard/activities';
import {
  ADVISORY_SYNC_WORKFLOW_ID,
  SYNC_ADVISORIES_WORKFLOW,
  type SyncAdvisoriesResult,
} from '@repoguard/contract';
import { runCliCommand } from '../../../../test/support/cli-run';
import {
  createTemporalHarness,
  temporalAddress,
  temporalNamespace,
  uniqueName,
  type TemporalHarness,
} from '../../../../test/support/temporal-harness';
import {
  ensureAdvisorySyncSchedule,
  removeAdvisorySyncSchedule,
  type AdvisorySyncScheduleOptions,
} from './advisory-sync-schedule';

const HOUR_MS = 3_600_000;

describe('the advisory sync schedule, owned once', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  const optionsFor = (name: string, intervalHours = 6): AdvisorySyncScheduleOptions => ({
    scheduleId: `advisory-sync-${name}`,
    taskQueue: name,
    intervalHours,
    input: { sources: ['/exports/npm.zip'], scanTaskQueue: name, rematchTaskQueue: `${name}-rematch` },
  });

  const scheduleIds = async (prefix: string) => {
    const ids: string[] = [];
    for await (const schedule of temporal.client.schedule.list()) {
      if (schedule.scheduleId.startsWith(prefix)) ids.push(schedule.scheduleId);
    }
    return ids;
  };

  it('is created once by three replicas starting together, with the spec they agree on', async () => {
    const name = uniqueName(expect.getState().currentTestName ?? 'schedule-race');
    const options = optionsFor(name);
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => ensureAdvisorySyncSchedule(temporal.client, options)),
    );
    const handle = temporal.client.schedule.getHandle(options.scheduleId!);
    try {
      expect(outcomes.sort()).toEqual(['created', 'unchanged', 'unchanged']);
      expect(await scheduleIds(options.scheduleId!)).toEqual([options.scheduleId]);
      const described = await handle.describe();
      expect(described.spec.intervals).toMatchObject([{ every: 6 * HOUR_MS }]);
      expect(described.spec.intervals).toHaveLength(1);
      expect(described.policies).toMatchObject({
        overlap: ScheduleOverlapPolicy.SKIP,
        catchupWindow: 6 * HOUR_MS,
      });
      expect(described.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: SYNC_ADVISORIES_WORKFLOW,
        workflowId: `${ADVISORY_SYNC_WORKFLOW_ID}:${options.scheduleId}`,
        taskQueue: name,
        args: [options.input],
      });

      // Replicas with different settings at once (a rolling deploy): one wins whole, none fails.
      const settled = await Promise.all(
        [12, 24, 48].map((hours) => ensureAdvisorySyncSchedule(temporal.client, optionsFor(name, hours))),
      );
      expect(settled).toContain('updated');
      const after = await handle.describe();
      const every = after.spec.intervals?.[0]?.every;
      expect([12, 24, 48].map((h) => h * HOUR_MS)).toContain(every);
      expect(after.policies.catchupWindow).toBe(every);
      expect(await ensureAdvisorySyncSchedule(temporal.client, optionsFor(name, every! / HOUR_MS))).toBe(
        'unchanged',
      );
    } finally {
      await handle.delete().catch(() => undefined);
    }
  });

  it('is removed when the sources are unset', async () => {
    const name = uniqueName(expect.getState().currentTestName ?? 'schedule-unset');
    const options = optionsFor(name);
    expect(await ensureAdvisorySyncSchedule(temporal.client, options)).toBe('created');

    expect(await removeAdvisorySyncSchedule(temporal.client, options.scheduleId)).toBe('deleted');
    await expect(temporal.client.schedule.getHandle(options.scheduleId!).describe()).rejects.toBeInstanceOf(
      ScheduleNotFoundError,
    );
    expect(await removeAdvisorySyncSchedule(temporal.client, options.scheduleId)).toBe('absent');
  });

  it('takes the CLI sync: joined while a scheduled run runs, triggered otherwise, never a second sync', async () => {
    const name = uniqueName(expect.getState().currentTestName ?? 'schedule-cli');
    const options = optionsFor(name);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let imports = 0;
    const activities: Partial<Activities> = {
      // The first sync holds in its import until the test lets it go.
      importAdvisories: async ({ source }) => {
        if (++imports === 1) await released;
        return {
          source,
          read: 0,
          inserted: 0,
          updated: 0,
          unchanged: 0,
          withdrawn: 0,
          skipped: 0,
          diagnostics: { total: 0, advisories: 0, byRule: {}, sample: [] },
          writtenAt: null,
        };
      },
      collectRematchTargets: async () => ({ targets: 0 }),
    };
    const worker = await temporal.createWorker({ taskQueue: name, activities });
    const env = {
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: temporalNamespace(),
      TEMPORAL_TASK_QUEUE: name,
      ADVISORY_SYNC_SCHEDULE_ID: options.scheduleId,
    };
    const handle = temporal.client.schedule.getHandle(options.scheduleId!);
    try {
      // The held import is let go even when an expectation fails, or the worker never stops.
      await worker.runUntil(scenario().finally(release));
    } finally {
      release();
      await handle.delete().catch(() => undefined);
    }

    async function scenario() {
      await ensureAdvisorySyncSchedule(temporal.client, options);
      // The schedule's own run (as when its interval comes round), still importing.
      await handle.trigger(ScheduleOverlapPolicy.SKIP);
      let running = (await handle.describe()).info.runningActions;
      for (let i = 0; i < 100 && running.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        running = (await handle.describe()).info.runningActions;
      }
      expect(running).toHaveLength(1);
      const scheduled = running[0]!.workflow;

      const joined = await runCliCommand(['advisories:sync'], env);
      expect(joined).toMatchObject({ code: 0, stderr: '' });
      expect(joined.stdout).toContain(`advisory sync ${scheduled.workflowId} already running, joined`);
      const other = await runCliCommand(['advisories:sync', '/elsewhere/other.zip'], env);
      expect(other).toMatchObject({ code: 2, stderr: expect.stringContaining('owns syncs') });

      const during = await handle.describe();
      expect(during.info.runningActions.map((a) => a.workflow.workflowId)).toEqual([scheduled.workflowId]);
      expect(during.info.numActionsTaken).toBe(1);
      // The CLI's own workflow id (its way before the schedule owned syncs) was never started.
      await expect(
        temporal.client.workflow.getHandle(ADVISORY_SYNC_WORKFLOW_ID).describe(),
      ).rejects.toBeInstanceOf(WorkflowNotFoundError);
      expect(imports).toBe(1);

      release();
      const first = (await temporal.client.workflow
        .getHandle(scheduled.workflowId, undefined, { firstExecutionRunId: scheduled.firstExecutionRunId })
        .result()) as SyncAdvisoriesResult;
      expect(first).toMatchObject({ phase: 'DONE' });

      // Nothing running now: the CLI triggers the schedule and waits for that run.
      const triggered = await runCliCommand(['advisories:sync', '--wait'], env);
      expect(triggered).toMatchObject({ code: 0, stderr: '' });
      expect(triggered.stdout).toContain('0 repositories affected, 0 re-match scans requested');
      expect(imports).toBe(2);
      expect((await handle.describe()).info.numActionsTaken).toBe(2);
    }
    // Three CLI processes (each compiles the CLI on start).
  }, 180_000);
});
