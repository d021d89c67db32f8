import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SYNC_ADVISORIES_WORKFLOW,
  syncProgressQuery,
  type SyncAdvisoriesInput,
  type SyncAdvisoriesResult,
} from '@repoguard/contract';
import type { OsvRecord, ScanTarget } from '@repoguard/domain';
import { dropDatabase, ensureAdvisorySyncSchedule, prepareDatabase } from '@repoguard/infrastructure';
import { freshDatabaseUrl } from '../support/fresh-database';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';
import { runCliCommand } from '../support/cli-run';
import { packageLockV3 } from '../support/manifest-fixtures';
import { temporalAddress, temporalNamespace } from '../support/temporal-harness';

describe('re-matching stored snapshots when advisories change', () => {
  // A database of its own: re-matching spans every org, and other tests import advisories too.
  const databaseUrl = freshDatabaseUrl('e2e_rematch');
  const run = randomUUID().slice(0, 8);
  const target = `rg-pad-${run}`;
  const other = `rg-other-${run}`;
  const existing: OsvRecord = {
    id: `RG-OLD-${run}`,
    modified: '2026-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name: other },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
      },
    ],
  };
  let harness: ScanHarness;
  let dir: string;
  const repos: { name: string; target: ScanTarget; uses: boolean }[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-sync-'));
    await prepareDatabase(databaseUrl);
    harness = await startScanHarness({
      databaseUrl,
      name: 'rematch',
      advisories: [existing],
      osvMode: 'mirror',
      quietWindowMs: 1,
    });
    // Ten stored repositories; three of them use the package the new advisory will name.
    for (let i = 0; i < 10; i++) {
      const uses = i % 3 === 0 && i < 9;
      const name = `service-${i}`;
      const repo = await harness.github.createRepo('rematch', name);
      await repo.commit({
        'package-lock.json': packageLockV3({
          [other]: '1.0.0',
          ...(uses ? { [target]: '1.0.3' } : { lodash: '4.17.21' }),
        }),
      });
      const connected = await harness.connectRepo('rematch', name);
      await harness.request(connected);
      expect(await harness.waitForScan(connected)).toMatchObject({ phase: 'COMPLETED' });
      repos.push({ name, target: connected, uses });
    }
    expect(repos.filter((r) => r.uses)).toHaveLength(3);
  });
  afterAll(async () => {
    await harness?.close();
    await dropDatabase(databaseUrl);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const openFindings = async (repoId: string) =>
    (
      (await harness.orm.em
        .getConnection()
        .execute(`select vulnerability_id from findings where repo_id = ? and status = 'open' order by 1`, [
          repoId,
        ])) as { vulnerability_id: string }[]
    ).map((r) => r.vulnerability_id);
  const advisoryScans = async (repoId: string) =>
    (await harness.orm.em
      .getConnection()
      .execute(`select status, trigger, snapshot_id from scans where repo_id = ? and trigger = 'advisory'`, [
        repoId,
      ])) as { status: string; trigger: string; snapshot_id: string }[];

  it('re-evaluates exactly the repositories that use the package, without fetching any of them', async () => {
    const fetchesBefore = harness.github.requests.length;
    const advisory: OsvRecord = {
      id: `RG-NEW-${run}`,
      modified: '2026-11-30T00:00:00Z',
      summary: 'a new advisory after the scans',
      affected: [
        {
          package: { ecosystem: 'npm', name: target },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.1.0' }] }],
        },
      ],
    };
    const file = path.join(dir, 'new-advisory.json');
    fs.writeFileSync(file, JSON.stringify(advisory));

    const input: SyncAdvisoriesInput = {
      sources: [file],
      scanTaskQueue: harness.taskQueue,
      rematchTaskQueue: harness.rematchTaskQueue,
      scanTiming: { quietWindowMs: 1 },
    };
    const result = await harness.temporal.client.workflow.execute<
      (i: SyncAdvisoriesInput) => Promise<SyncAdvisoriesResult>
    >(SYNC_ADVISORIES_WORKFLOW, {
      taskQueue: harness.taskQueue,
      workflowId: `advisory-sync:${run}`,
      args: [input],
    });
    expect(result).toMatchObject({
      phase: 'DONE',
      sources: [{ source: file, read: 1, inserted: 1, updated: 0, skipped: 0 }],
      affectedRepos: 3,
      scansRequested: 3,
    });
    // The progress query answers too (what the Temporal Web UI and operators read while it runs).
    const progress = await harness.temporal.client.workflow
      .getHandle(`advisory-sync:${run}`)
      .query(syncProgressQuery);
    expect(progress).toMatchObject({ phase: 'DONE', sourcesLeft: 0, affectedRepos: 3, scansRequested: 3 });

    for (const repo of repos) {
      if (repo.uses) {
        expect(await harness.waitForScan(repo.target)).toMatchObject({
          phase: 'COMPLETED',
          policyStatus: expect.any(String),
        });
        expect(await advisoryScans(repo.target.repoId)).toEqual([
          { status: 'COMPLETED', trigger: 'advisory', snapshot_id: expect.any(String) },
        ]);
        expect(await openFindings(repo.target.repoId)).toEqual([advisory.id, existing.id].sort());
      } else {
        expect(await advisoryScans(repo.target.repoId)).toEqual([]);
        expect(await openFindings(repo.target.repoId)).toEqual([existing.id]);
      }
    }
    // Matched again from the stored snapshots: GitHub was not asked for anything.
    expect(harness.github.requests.length).toBe(fetchesBefore);
  });

  it('clears the findings of a withdrawn advisory the same way, and a repeated sync changes nothing', async () => {
    const withdrawn: OsvRecord = {
      ...existing,
      modified: '2026-12-01T00:00:00Z',
      withdrawn: '2026-12-01T00:00:00Z',
    };
    const file = path.join(dir, 'withdrawn.json');
    fs.writeFileSync(file, JSON.stringify(withdrawn));
    const sync = (id: string) =>
      harness.temporal.client.workflow.execute<(i: SyncAdvisoriesInput) => Promise<SyncAdvisoriesResult>>(
        SYNC_ADVISORIES_WORKFLOW,
        {
          taskQueue: harness.taskQueue,
          workflowId: id,
          args: [
            {
              sources: [file],
              scanTaskQueue: harness.taskQueue,
              rematchTaskQueue: harness.rematchTaskQueue,
              scanTiming: { quietWindowMs: 1 },
            },
          ],
        },
      );
    expect(await sync(`advisory-sync:${run}:withdraw`)).toMatchObject({
      affectedRepos: 10,
      scansRequested: 10,
    });
    for (const repo of repos) {
      await harness.waitForScan(repo.target);
      expect(await openFindings(repo.target.repoId)).not.toContain(existing.id);
    }
    expect(await sync(`advisory-sync:${run}:again`)).toMatchObject({
      sources: [{ unchanged: 1, inserted: 0, updated: 0 }],
      affectedRepos: 0,
      scansRequested: 0,
    });
  });

  it('runs the sync on a Temporal Schedule, created once and updated in place', async () => {
    const file = path.join(dir, 'scheduled.json');
    const scheduled: OsvRecord = {
      ...existing,
      id: `RG-SCHEDULED-${run}`,
      modified: '2026-12-02T00:00:00Z',
      withdrawn: undefined,
    };
    fs.writeFileSync(file, JSON.stringify(scheduled));
    const scheduleId = `advisory-sync-${run}`;
    const options = {
      scheduleId,
      taskQueue: harness.taskQueue,
      intervalHours: 6,
      input: {
        sources: [file],
        scanTaskQueue: harness.taskQueue,
        rematchTaskQueue: harness.rematchTaskQueue,
      },
    };
    const schedules = harness.temporal.client.schedule;
    expect(await ensureAdvisorySyncSchedule(harness.temporal.client, options)).toBe('created');
    expect(await ensureAdvisorySyncSchedule(harness.temporal.client, { ...options, intervalHours: 12 })).toBe(
      'updated',
    );
    const handle = schedules.getHandle(scheduleId);
    try {
      const described = await handle.describe();
      expect(described.spec.intervals).toMatchObject([{ every: 12 * 3600 * 1000 }]);
      expect(described.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: SYNC_ADVISORIES_WORKFLOW,
      });

      // The schedule's sync re-matches: the CLI refuses to trigger it as if it would not.
      const noRematch = await runCliCommand(['advisories:sync', '--no-rematch'], {
        TEMPORAL_ADDRESS: temporalAddress(),
        TEMPORAL_NAMESPACE: temporalNamespace(),
        ADVISORY_SYNC_SCHEDULE_ID: scheduleId,
      });
      expect(noRematch).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/re-matches; --no-rematch cannot/),
      });
      expect((await handle.describe()).info.recentActions).toEqual([]);

      await handle.trigger();
      let started: string | undefined;
      for (let i = 0; i < 100 && !started; i++) {
        const action = (await handle.describe()).info.recentActions[0]?.action;
        started = action?.type === 'startWorkflow' ? action.workflow.workflowId : undefined;
        if (!started) await new Promise((r) => setTimeout(r, 100));
      }
      const result = (await harness.temporal.client.workflow
        .getHandle(started!)
        .result()) as SyncAdvisoriesResult;
      expect(result).toMatchObject({ sources: [{ inserted: 1 }], affectedRepos: 10, scansRequested: 10 });
    } finally {
      await handle.delete();
    }
  });

  it('is started by `repoguard advisories:sync`, which waits and reports', async () => {
    const file = path.join(dir, 'from-cli.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...existing,
        id: `RG-CLI-${run}`,
        modified: '2026-12-03T00:00:00Z',
        withdrawn: undefined,
      }),
    );
    const env = {
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: temporalNamespace(),
      TEMPORAL_TASK_QUEUE: harness.taskQueue,
      TEMPORAL_REMATCH_TASK_QUEUE: harness.rematchTaskQueue,
      // No schedule owns syncs here: the CLI starts its own.
      ADVISORY_SYNC_SCHEDULE_ID: `advisory-sync-none-${run}`,
    };
    const synced = await runCliCommand(
      ['advisories:sync', path.relative(process.cwd(), file), '--wait'],
      env,
    );
    expect(synced).toMatchObject({ code: 0, stderr: '' });
    expect(synced.stdout).toContain(`${file}: 1 read, 1 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped`);
    expect(synced.stdout).toContain('10 repositories affected, 10 re-match scans requested');

    const unknown = await runCliCommand(['advisories:sync', '--ecosystem', 'cobol'], env);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown ecosystem cobol/) });
    const down = await runCliCommand(['advisories:sync', file], { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(down).toMatchObject({ code: 1, stderr: expect.stringMatching(/advisory sync failed/) });
  });
});
