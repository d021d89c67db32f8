import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { createActivities, type Activities } from '@repoguard/activities';
import type { RequestScan, RequestScanCommand } from '@repoguard/application';
import {
  SYNC_ADVISORIES_WORKFLOW,
  type SyncAdvisoriesInput,
  type SyncAdvisoriesResult,
} from '@repoguard/contract';
import type { OsvRecord } from '@repoguard/domain';
import {
  buildActivityDeps,
  createMikroOrmConfig,
  dropDatabase,
  MikroOrmSnapshotRepository,
  PiscinaManifestParserPool,
  prepareDatabase,
} from '@repoguard/infrastructure';
import { freshDatabaseUrl } from '../../../test/support/fresh-database';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../test/support/temporal-harness';
import type { syncAdvisoriesWorkflow } from './sync-advisories.workflow';

type Sync = typeof syncAdvisoriesWorkflow;

const report = (source: string) => ({
  source,
  read: 1,
  inserted: 1,
  updated: 0,
  unchanged: 0,
  withdrawn: 0,
  skipped: 0,
  diagnostics: { total: 0, advisories: 0, byRule: {}, sample: [] },
});

/** The history as JSON, payloads as base64: what the server stores, near enough to compare. */
async function historyBytes(client: Client, workflowId: string, runId?: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  return Buffer.byteLength(
    JSON.stringify(history, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
    ),
  );
}

describe('syncAdvisoriesWorkflow on the Temporal server', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  const input = (taskQueue: string, extra: Partial<SyncAdvisoriesInput> = {}): SyncAdvisoriesInput => ({
    sources: ['/exports/npm.zip'],
    scanTaskQueue: `${taskQueue}-scans`,
    rematchTaskQueue: `${taskQueue}-rematch`,
    ...extra,
  });

  /** Stubs that hold 5,000 targets "in the database" and record which places each page asked for. */
  function pagedStubs(total: number) {
    const requestedSeqs: number[] = [];
    const activities: Partial<Activities> = {
      importAdvisories: async ({ source }) => ({ ...report(source), writtenAt: '2026-12-06 00:00:00+00' }),
      collectRematchTargets: async () => ({ targets: total }),
      requestRematchPage: async ({ fromSeq, limit }) => {
        const last = Math.min(total, fromSeq + limit - 1);
        for (let seq = fromSeq; seq <= last; seq++) requestedSeqs.push(seq);
        return { requested: Math.max(0, last - fromSeq + 1) };
      },
      // What the code before the sync-run watermark scheduled: the whole list through history.
      findRematchTargets: async () =>
        Array.from({ length: total }, (_, i) => ({
          orgId: randomUUID(),
          repoId: randomUUID(),
          owner: 'acme',
          name: `service-${i}`,
          snapshotId: randomUUID(),
        })),
      requestRematchScans: async ({ targets }) => ({ requested: targets.length }),
    };
    return { activities, requestedSeqs };
  }

  it('re-matches 5,000 repositories with only counts and positions in history', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'sync-5000');
    const { activities, requestedSeqs } = pagedStubs(5_000);
    const worker = await temporal.createWorker({ taskQueue, activities });
    const handle = await temporal.client.workflow.start<Sync>(SYNC_ADVISORIES_WORKFLOW, {
      taskQueue,
      workflowId: `advisory-sync:${taskQueue}`,
      args: [input(taskQueue)],
    });
    const result = await worker.runUntil(handle.result());

    expect(result).toMatchObject({ phase: 'DONE', affectedRepos: 5_000, scansRequested: 5_000 });
    expect(requestedSeqs).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
    // The list used to travel twice (found, then handed out in batches): about 2 MB here.
    const bytes = await historyBytes(temporal.client, handle.workflowId);
    expect(bytes).toBeLessThan(100_000);
  });

  it('pages with the default size when given a page size that would never advance', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'sync-page-size');
    const { activities, requestedSeqs } = pagedStubs(300);
    const worker = await temporal.createWorker({ taskQueue, activities });
    const handle = await temporal.client.workflow.start<Sync>(SYNC_ADVISORIES_WORKFLOW, {
      taskQueue,
      workflowId: `advisory-sync:${taskQueue}`,
      args: [input(taskQueue, { rematchPageSize: 0 })],
    });
    const result = await worker.runUntil(handle.result());

    expect(result).toMatchObject({ phase: 'DONE', affectedRepos: 300, scansRequested: 300 });
    expect(requestedSeqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  }, 60_000);

  it('continues as new when a sync has very many pages, and requests every target once', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'sync-can');
    const { activities, requestedSeqs } = pagedStubs(2_500);
    const worker = await temporal.createWorker({ taskQueue, activities });
    const handle = await temporal.client.workflow.start<Sync>(SYNC_ADVISORIES_WORKFLOW, {
      taskQueue,
      workflowId: `advisory-sync:${taskQueue}`,
      // 250 pages of 10: more than one run holds (100 pages a run).
      args: [input(taskQueue, { rematchPageSize: 10 })],
    });
    const result = await worker.runUntil(handle.result());

    expect(result).toMatchObject({
      phase: 'DONE',
      sources: [{ source: '/exports/npm.zip', inserted: 1 }],
      affectedRepos: 2_500,
      scansRequested: 2_500,
    });
    expect(requestedSeqs).toEqual(Array.from({ length: 2_500 }, (_, i) => i + 1));
    const last = await handle.describe();
    expect(last.runId).not.toBe(handle.firstExecutionRunId);
    // The first run ended at its page budget: a bounded history, whatever the number of targets.
    const first = await temporal.client.workflow
      .getHandle(handle.workflowId, handle.firstExecutionRunId)
      .fetchHistory();
    expect(first.events?.length).toBeLessThan(1_000);
    expect(first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  }, 120_000);

  describe('with the real activities and database', () => {
    // A database of its own: re-match targets span every org.
    const databaseUrl = freshDatabaseUrl('sync_runs');
    let orm: MikroORM;
    let parserPool: PiscinaManifestParserPool;
    let dir: string;
    const startedScans: string[] = [];

    beforeAll(async () => {
      await prepareDatabase(databaseUrl);
      orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 6 }));
      parserPool = new PiscinaManifestParserPool({ threads: 1, deadlineMs: 30_000 });
      dir = mkdtempSync(path.join(tmpdir(), 'repoguard-sync-runs-'));
    });
    afterAll(async () => {
      // The re-match requests started scan workflows on a queue no worker polls: end them.
      await Promise.all(
        startedScans.map((id) =>
          temporal.client.workflow
            .getHandle(`repo-scan:${id}`)
            .terminate('test over')
            .catch(() => undefined),
        ),
      );
      await parserPool?.close();
      await orm?.close(true);
      await dropDatabase(databaseUrl);
      rmSync(dir, { recursive: true, force: true });
    });

    const realActivities = () =>
      createActivities(
        buildActivityDeps(orm.em, {
          workerIdentity: 'sync-runs-test',
          githubApiUrl: 'http://127.0.0.1:9',
          osvApiUrl: 'http://127.0.0.1:9',
          timeoutMs: 1_000,
          parserPool,
        }),
      );

    /** A repository whose last completed scan's snapshot holds `pkg`@1.0.0 (npm). */
    async function storedRepo(pkg: string): Promise<string> {
      const knex = orm.em.getKnex();
      const [orgId, repoId] = [randomUUID(), randomUUID()];
      await knex('organizations').insert({ id: orgId, name: 'sync', slug: `sync-${orgId}` });
      await knex('repositories').insert({
        id: repoId,
        org_id: orgId,
        owner: 'sync',
        name: `repo-${repoId}`,
        default_branch: 'main',
      });
      // Through the store, as a scan writes it: with the package keys re-match targets are found by.
      const snapshotId = await new MikroOrmSnapshotRepository(orm.em).create({
        orgId,
        repoId,
        commitSha: 'a'.repeat(40),
        manifests: [],
        dependencies: [
          {
            ecosystem: 'npm',
            name: pkg,
            version: '1.0.0',
            scope: 'runtime',
            direct: true,
            manifestPath: 'package-lock.json',
            purl: `pkg:npm/${pkg}@1.0.0`,
          },
        ],
      });
      await knex('scans').insert({
        id: randomUUID(),
        org_id: orgId,
        repo_id: repoId,
        workflow_id: `repo-scan:${repoId}`,
        run_id: 'r',
        trigger: 'push',
        snapshot_id: snapshotId,
        status: 'COMPLETED',
        phase_timings: '{}',
        counts: '{}',
        completed_at: new Date(),
      });
      startedScans.push(repoId);
      return repoId;
    }

    /** An export of one advisory naming `pkg`, as a file the import reads. */
    function advisoryFile(pkg: string): string {
      const record: OsvRecord = {
        id: `RG-SYNC-${randomUUID()}`,
        modified: '2026-12-06T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'npm', name: pkg },
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
          },
        ],
      };
      const file = path.join(dir, `${record.id}.json`);
      writeFileSync(file, JSON.stringify(record));
      return file;
    }

    const advisoryRequests = async (repoIds: readonly string[]) =>
      (await orm.em
        .getKnex()('scan_request_outbox')
        .whereIn('repo_id', [...repoIds])
        .select('id', 'repo_id', 'relayed_at', 'request')) as {
        id: string;
        repo_id: string;
        relayed_at: Date | null;
        request: { details: { trigger: string; snapshotId?: string } };
      }[];

    it('re-matches what an import wrote although its completion was lost', async () => {
      const taskQueue = uniqueName(expect.getState().currentTestName ?? 'sync-lost');
      const pkg = `rg-lost-${randomUUID().slice(0, 8)}`;
      const affected = [await storedRepo(pkg), await storedRepo(pkg)];
      const untouched = await storedRepo(`rg-other-${randomUUID().slice(0, 8)}`);
      const real = realActivities();
      let attempts = 0;
      const activities: Partial<Activities> = {
        ...real,
        // The import commits, then its completion never reaches the workflow (the worker died).
        importAdvisories: async (args) => {
          const imported = await real.importAdvisories(args);
          if (++attempts === 1) throw new Error('completion lost after the import committed');
          return imported;
        },
      };
      const worker = await temporal.createWorker({ taskQueue, activities });
      const file = advisoryFile(pkg);
      const result: SyncAdvisoriesResult = await worker.runUntil(
        temporal.client.workflow.execute<Sync>(SYNC_ADVISORIES_WORKFLOW, {
          taskQueue,
          workflowId: `advisory-sync:${taskQueue}`,
          args: [input(taskQueue, { sources: [file] })],
        }),
      );

      expect(attempts).toBe(2);
      // The retry wrote nothing (the first attempt had), and still the run re-matches both.
      expect(result).toMatchObject({
        sources: [{ source: file, inserted: 0, unchanged: 1 }],
        affectedRepos: 2,
        scansRequested: 2,
      });
      const requests = await advisoryRequests([...affected, untouched]);
      expect(requests.map((r) => r.repo_id).sort()).toEqual([...affected].sort());
      for (const request of requests) {
        expect(request.request.details).toMatchObject({
          trigger: 'advisory',
          snapshotId: expect.any(String),
        });
        expect(request.relayed_at).not.toBeNull();
        // Temporal took it: the repository's scan workflow holds the request.
        const scan = await temporal.client.workflow.getHandle(`repo-scan:${request.repo_id}`).describe();
        expect(scan.status.name).toBe('RUNNING');
      }
    });

    it('resumes a retried page from its heartbeat and never asks a repository twice', async () => {
      const taskQueue = uniqueName(expect.getState().currentTestName ?? 'sync-resume');
      const pkg = `rg-resume-${randomUUID().slice(0, 8)}`;
      const affected: string[] = [];
      for (let i = 0; i < 5; i++) affected.push(await storedRepo(pkg));
      const deps = buildActivityDeps(orm.em, {
        workerIdentity: 'sync-runs-test',
        githubApiUrl: 'http://127.0.0.1:9',
        osvApiUrl: 'http://127.0.0.1:9',
        timeoutMs: 1_000,
        parserPool,
      });
      const asked: string[] = [];
      let failed = false;
      // The third request of the first attempt fails as if the worker died there.
      const flaky = Object.assign(Object.create(deps.requestScan) as RequestScan, {
        execute: async (command: RequestScanCommand) => {
          asked.push(command.repoId);
          if (asked.length === 3 && !failed) {
            failed = true;
            throw new Error('worker lost in the middle of a page');
          }
          return deps.requestScan.execute(command);
        },
      });
      const activities = createActivities({ ...deps, requestScan: flaky });
      const worker = await temporal.createWorker({ taskQueue, activities });
      const result = await worker.runUntil(
        temporal.client.workflow.execute<Sync>(SYNC_ADVISORIES_WORKFLOW, {
          taskQueue,
          workflowId: `advisory-sync:${taskQueue}`,
          args: [input(taskQueue, { sources: [advisoryFile(pkg)] })],
        }),
      );

      expect(result).toMatchObject({ affectedRepos: 5, scansRequested: 5 });
      const order = [...affected].sort();
      // 1, 2, 3 (fails), then the retry from 3: the first two are not asked again.
      expect(asked).toEqual([order[0], order[1], order[2], order[2], order[3], order[4]]);
      const requests = await advisoryRequests(affected);
      expect(requests).toHaveLength(5);
      expect(requests.every((r) => r.relayed_at !== null)).toBe(true);
    });

    it('asks each repository once per sync run, however often a page is requested again', async () => {
      const taskQueue = uniqueName(expect.getState().currentTestName ?? 'sync-dedupe');
      const pkg = `rg-dedupe-${randomUUID().slice(0, 8)}`;
      const affected = [await storedRepo(pkg), await storedRepo(pkg)];
      const real = realActivities();
      const activities: Partial<Activities> = {
        ...real,
        // Every page is asked twice (a retry after its completion was lost).
        requestRematchPage: async (page) => {
          const first = await real.requestRematchPage(page);
          const again = await real.requestRematchPage(page);
          expect(again).toEqual(first);
          return first;
        },
      };
      const worker = await temporal.createWorker({ taskQueue, activities });
      const result = await worker.runUntil(
        temporal.client.workflow.execute<Sync>(SYNC_ADVISORIES_WORKFLOW, {
          taskQueue,
          workflowId: `advisory-sync:${taskQueue}`,
          args: [input(taskQueue, { sources: [advisoryFile(pkg)] })],
        }),
      );
      expect(result).toMatchObject({ affectedRepos: 2, scansRequested: 2 });
      expect(await advisoryRequests(affected)).toHaveLength(2);
    });
  });
});
