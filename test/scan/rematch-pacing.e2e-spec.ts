// An advisory sync keeps at most REMATCH_OPEN_LIMIT re-match requests open (asked for, not served by
// a scan yet): it asks as fast as the re-matches are done, on the real worker, Temporal and database.
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
import { dropDatabase, prepareDatabase } from '@repoguard/infrastructure';
import { freshDatabaseUrl } from '../support/fresh-database';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';
import { packageLockV3 } from '../support/manifest-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an advisory sync paces its re-match requests by the scans that serve them', () => {
  // A database of its own: re-matching spans every org.
  const databaseUrl = freshDatabaseUrl('e2e_pacing');
  const run = randomUUID().slice(0, 8);
  const used = `rg-paced-${run}`;
  const REPOS = 8;
  const LIMIT = 2;
  let harness: ScanHarness;
  let dir: string;
  const repos: ScanTarget[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-pacing-'));
    await prepareDatabase(databaseUrl);
    harness = await startScanHarness({
      databaseUrl,
      name: 'pacing',
      advisories: [],
      osvMode: 'mirror',
      quietWindowMs: 1,
      rematchOpenLimit: LIMIT,
    });
    for (let i = 0; i < REPOS; i++) {
      const repo = await harness.github.createRepo('pacing', `app-${i}`);
      await repo.commit({ 'package-lock.json': packageLockV3({ [used]: '1.0.0' }) });
      const target = await harness.connectRepo('pacing', `app-${i}`);
      await harness.request(target);
      expect(await harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED' });
      repos.push(target);
    }
  });
  afterAll(async () => {
    await harness?.close();
    await dropDatabase(databaseUrl);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const rematchesRequested = async () => {
    const [row] = (await harness.orm.em
      .fork()
      .getConnection()
      .execute(
        `select count(*)::int as n from audit_logs where action = 'scan.requested' and metadata->>'trigger' = 'advisory'`,
      )) as { n: number }[];
    return row!.n;
  };

  /** Starts a sync of a new advisory naming the package every repository uses. */
  const startSync = async (id: string, modified: string) => {
    const advisory: OsvRecord = {
      id,
      modified,
      affected: [
        {
          package: { ecosystem: 'npm', name: used },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
        },
      ],
    };
    const file = path.join(dir, `${id}.json`);
    fs.writeFileSync(file, JSON.stringify(advisory));
    const input: SyncAdvisoriesInput = {
      sources: [file],
      scanTaskQueue: harness.taskQueue,
      rematchTaskQueue: harness.rematchTaskQueue,
      scanTiming: { quietWindowMs: 1 },
    };
    const workflowId = `advisory-sync:${id}`;
    const result = harness.temporal.client.workflow.execute<
      (i: SyncAdvisoriesInput) => Promise<SyncAdvisoriesResult>
    >(SYNC_ADVISORIES_WORKFLOW, { taskQueue: harness.taskQueue, workflowId, args: [input] });
    result.catch(() => undefined);
    return { workflowId, result };
  };

  it('keeps no more than the limit open while no re-match worker takes them, and asks for the rest as they are done', async () => {
    // Nothing polls the re-match queue: every re-match asked for waits there.
    await harness.stopWorker();
    await harness.startWorker(undefined, { rematchWorker: false });

    const advisoryId = `RG-PACED-${run}`;
    const { workflowId, result: sync } = await startSync(advisoryId, '2026-12-05T00:00:00Z');

    const deadline = Date.now() + 30_000;
    while ((await rematchesRequested()) < LIMIT && Date.now() < deadline) await sleep(100);
    // No scan serves them: the sync asks for no more, however long it waits.
    await sleep(3_000);
    expect(await rematchesRequested()).toBe(LIMIT);
    const progress = await harness.temporal.client.workflow.getHandle(workflowId).query(syncProgressQuery);
    expect(progress).toMatchObject({ phase: 'REQUESTING_SCANS', affectedRepos: REPOS, scansRequested: 0 });

    await harness.startRematchWorker();
    expect(await sync).toMatchObject({ phase: 'DONE', affectedRepos: REPOS, scansRequested: REPOS });
    expect(await rematchesRequested()).toBe(REPOS);
    for (const target of repos) {
      await harness.waitForScan(target);
      const open = (await harness.orm.em
        .fork()
        .getConnection()
        .execute(`select 1 from findings where repo_id = ? and vulnerability_id = ? and status = 'open'`, [
          target.repoId,
          advisoryId,
        ])) as unknown[];
      expect(open).toHaveLength(1);
    }
  });

  it('asks for all at once when pacing is off (REMATCH_OPEN_LIMIT=0)', async () => {
    await harness.stopWorker();
    await harness.startWorker(undefined, { rematchWorker: false, rematchOpenLimit: 0 });
    const before = await rematchesRequested();
    const result = await (await startSync(`RG-UNPACED-${run}`, '2026-12-05T01:00:00Z')).result;
    // Every request went while nothing took a single re-match.
    expect(result).toMatchObject({ phase: 'DONE', scansRequested: REPOS });
    expect((await rematchesRequested()) - before).toBe(REPOS);
    await harness.startRematchWorker();
    for (const target of repos) await harness.waitForScan(target);
  });
});
