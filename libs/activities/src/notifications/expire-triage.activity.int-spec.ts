import { createHash, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  ExpireTriage,
  ReevaluateDueRepositoryStatuses,
  ReevaluateRepositoryStatus,
  TriageFinding,
  type Caller,
} from '@repoguard/application';
import { EXPIRE_TRIAGE_WORKFLOW, expireTriageWorkflowId } from '@repoguard/contract';
import { SYSTEM_CLOCK, toPurl, type OsvRecord, type TriageExpiryTimer } from '@repoguard/domain';
import {
  createMikroOrmConfig,
  MikroOrmUnitOfWork,
  TemporalTriageExpiryTimer,
} from '@repoguard/infrastructure';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../../test/support/temporal-harness';
import { createEvaluatePolicyActivity } from '../scan/evaluate-policy.activity';
import { createPersistActivity } from '../scan/persist.activity';
import { connectedRepo, scanStepDeps, startedScan, type RepoRef } from '../scan/rematch.test-fixtures';
import { createExpireTriageActivity } from './expire-triage.activity';

// Issue 18 point 6: an ignore with an expiry reopens its finding AT the expiry (a timer in a
// workflow), the repository is judged again and `triage.expired` is recorded, exactly once,
// whoever gets there first: the timer, the repository-status sweep, or a scan's findings sync.
// On the real database and the Temporal dev server.
describe('an ignore that expires', () => {
  let orm: MikroORM;
  let temporal: TemporalHarness;
  const knex = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 6 }),
    );
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
    await orm?.close(true);
  });

  const uow = () => new MikroOrmUnitOfWork(orm.em);
  const reevaluate = () => new ReevaluateRepositoryStatus(uow(), SYSTEM_CLOCK, randomUUID);
  const triage = (timer?: TriageExpiryTimer, warn?: (message: string) => void) =>
    new TriageFinding(uow(), SYSTEM_CLOCK, reevaluate(), {
      ...(timer ? { timer } : {}),
      ...(warn ? { warn } : {}),
    });
  const sweep = () => new ReevaluateDueRepositoryStatuses(uow(), reevaluate(), SYSTEM_CLOCK);
  const steps = () => scanStepDeps(orm, () => new Date());

  /** A repository whose last scan found one CRITICAL finding: FAIL. */
  async function failingRepo(): Promise<
    RepoRef & { findingId: string; caller: Caller; scanAgain: () => Promise<string> }
  > {
    const d = steps();
    const repo = await connectedRepo(orm);
    const pkg = `expiring-${randomUUID().slice(0, 8)}`;
    const advisory: OsvRecord = {
      id: `RG-EXPIRY-${randomUUID()}`,
      modified: '2026-01-01T00:00:00Z',
      summary: 'Remote code execution',
      database_specific: { severity: 'CRITICAL' },
      affected: [
        {
          package: { ecosystem: 'npm', name: pkg },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
        },
      ],
    };
    await d.vulnerabilityCache.upsert([advisory]);
    const snapshotId = await d.snapshots.create({
      ...repo,
      commitSha: createHash('sha1').update(randomUUID()).digest('hex'),
      manifests: [
        {
          path: 'package-lock.json',
          blobSha: 'b'.repeat(40),
          parserId: 'package-lock-json',
          diagnostics: [],
        },
      ],
      dependencies: [
        {
          ecosystem: 'npm',
          name: pkg,
          version: '1.0.0',
          scope: 'runtime',
          direct: true,
          manifestPath: 'package-lock.json',
          line: 1,
          purl: toPurl('npm', pkg, '1.0.0'),
        },
      ],
    });
    const [dependency] = await d.snapshots.dependencies(snapshotId);
    await d.snapshots.replaceMatches({ id: snapshotId, ...repo }, [
      { dependencyId: dependency!.id, vulnerabilityId: advisory.id },
    ]);
    const scanAgain = async () => {
      const scanId = await startedScan(d, repo);
      // As the parse step leaves it: the snapshot the scan judged, for the re-judging to read.
      await d.scans.phase(scanId, 'PARSING', { snapshotId });
      await createPersistActivity(d)({ scanId, ...repo, snapshotId });
      await createEvaluatePolicyActivity(d)({ scanId, ...repo, snapshotId });
      return scanId;
    };
    await scanAgain();
    const { id: findingId } = (await knex()('findings').where({ repo_id: repo.repoId }).first('id')) as {
      id: string;
    };
    const caller: Caller = {
      scope: { orgIds: [repo.orgId] },
      actor: { actorType: 'user', actorId: randomUUID(), correlationId: null, ip: null },
    };
    expect(await repoStatus(repo.repoId)).toBe('FAIL');
    return { ...repo, findingId, caller, scanAgain };
  }

  const repoStatus = async (repoId: string) =>
    ((await knex()('repositories').where({ id: repoId }).first('status')) as { status: string }).status;
  const findingStatus = async (findingId: string) =>
    ((await knex()('findings').where({ id: findingId }).first('status')) as { status: string }).status;
  const eventsOf = async (repoId: string, types: string[]) =>
    (await knex()('notification_events')
      .where({ repo_id: repoId })
      .whereIn('type', types)
      .orderBy('seq')
      .select('type', 'group_key', 'scan_id', 'severity', 'payload')) as {
      type: string;
      group_key: string;
      scan_id: string | null;
      severity: string | null;
      payload: Record<string, unknown>;
    }[];

  /** Waits for `condition` to hold, up to a deadline (never a fixed sleep asserted on). */
  async function eventually(condition: () => Promise<boolean>, deadlineMs = 30_000): Promise<void> {
    const until = Date.now() + deadlineMs;
    while (!(await condition())) {
      if (Date.now() > until) throw new Error('condition not met before the deadline');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const ignore = (
    repo: { findingId: string; caller: Caller },
    expiresAt: Date,
    timer?: TriageExpiryTimer,
    warn?: (message: string) => void,
  ) =>
    triage(timer, warn).execute({
      caller: repo.caller,
      findingId: repo.findingId,
      status: 'ignored',
      reason: 'not reachable from our code',
      expiresAt,
    });

  it('reopens the finding at its expiry, judges the repository again and records triage.expired once', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'expiry');
    const repo = await failingRepo();
    const worker = await temporal.createWorker({
      taskQueue,
      activities: {
        expireTriage: createExpireTriageActivity({
          expireTriage: new ExpireTriage(uow(), reevaluate(), SYSTEM_CLOCK),
        }),
      },
    });
    await worker.runUntil(async () => {
      const expiresAt = new Date(Date.now() + 3_000);
      await ignore(repo, expiresAt, new TemporalTriageExpiryTimer(temporal.client, taskQueue));
      expect(await findingStatus(repo.findingId)).toBe('ignored');
      const ignoredStatus = await repoStatus(repo.repoId);
      expect(ignoredStatus).not.toBe('FAIL');

      const handle = temporal.client.workflow.getHandle(expireTriageWorkflowId(repo.findingId, expiresAt));
      expect(await handle.result()).toBe('expired');
      expect(await findingStatus(repo.findingId)).toBe('open');
      expect(await repoStatus(repo.repoId)).toBe('FAIL');
      // The sweep comes round afterwards: nothing is left for it to do.
      await sweep().execute({ limit: 1000 });

      const events = await eventsOf(repo.repoId, ['triage.expired', 'repo.status_changed']);
      const key = `expiry:${repo.findingId}:${expiresAt.getTime()}`;
      expect(events.map((e) => [e.type, e.group_key])).toEqual([
        ['repo.status_changed', expect.stringMatching(/^[0-9a-f-]{36}$/)], // the scan's verdict
        ['repo.status_changed', expect.stringMatching(/^change:/)], // the ignore
        ['triage.expired', key],
        ['repo.status_changed', key],
      ]);
      expect(events[2]).toMatchObject({
        severity: 'CRITICAL',
        payload: {
          finding: { finding_id: repo.findingId, severity: 'CRITICAL', summary: 'Remote code execution' },
          reason: 'not reachable from our code',
          decided_by: `user:${repo.caller.actor.actorId}`,
          expired_at: expiresAt.toISOString(),
        },
      });
      expect(events[3]!.payload).toMatchObject({
        old_status: ignoredStatus,
        new_status: 'FAIL',
        cause: 'triage_expiry',
      });
      expect(events[1]!.payload).toMatchObject({
        old_status: 'FAIL',
        new_status: ignoredStatus,
        cause: 'triage',
      });
    });
  });

  it('leaves an ignore decided again with another expiry to that expiry’s own timer, and cancels the first', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'expiry');
    const repo = await failingRepo();
    const worker = await temporal.createWorker({
      taskQueue,
      activities: {
        expireTriage: createExpireTriageActivity({
          expireTriage: new ExpireTriage(uow(), reevaluate(), SYSTEM_CLOCK),
        }),
      },
    });
    const timer = new TemporalTriageExpiryTimer(temporal.client, taskQueue);
    const later = new Date(Date.now() + 3_600_000);
    await worker.runUntil(async () => {
      const first = new Date(Date.now() + 3_600_000 - 60_000);
      await ignore(repo, first, timer);
      await ignore(repo, later, timer);
      // A second start for the same expiry finds the first timer.
      await timer.start(repo.findingId, later);

      // The superseded timer does not sleep on for an hour: the re-triage cancelled it.
      const firstTimer = temporal.client.workflow.getHandle(expireTriageWorkflowId(repo.findingId, first));
      await expect(firstTimer.result()).rejects.toMatchObject({ cause: { name: 'CancelledFailure' } });
      expect((await firstTimer.describe()).status.name).toBe('CANCELLED');
      expect(await findingStatus(repo.findingId)).toBe('ignored');
      expect(await eventsOf(repo.repoId, ['triage.expired'])).toEqual([]);
    });
    const laterTimer = temporal.client.workflow.getHandle(expireTriageWorkflowId(repo.findingId, later));
    const runs: string[] = [];
    for await (const run of temporal.client.workflow.list({
      query: `WorkflowId = '${expireTriageWorkflowId(repo.findingId, later)}'`,
    }))
      runs.push(run.runId);
    expect(runs).toHaveLength(1);
    expect((await laterTimer.describe()).type).toBe(EXPIRE_TRIAGE_WORKFLOW);
    await laterTimer.terminate('test over');
  });

  it('cancels the timer of an ignore that is reopened; a timer already gone is no error', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'expiry');
    const repo = await failingRepo();
    const worker = await temporal.createWorker({
      taskQueue,
      activities: {
        expireTriage: createExpireTriageActivity({
          expireTriage: new ExpireTriage(uow(), reevaluate(), SYSTEM_CLOCK),
        }),
      },
    });
    const timer = new TemporalTriageExpiryTimer(temporal.client, taskQueue);
    const warnings: string[] = [];
    await worker.runUntil(async () => {
      const expiresAt = new Date(Date.now() + 3_600_000);
      await ignore(repo, expiresAt, timer, (message) => warnings.push(message));
      await triage(timer, (message) => warnings.push(message)).execute({
        caller: repo.caller,
        findingId: repo.findingId,
        status: 'open',
      });
      const handle = temporal.client.workflow.getHandle(expireTriageWorkflowId(repo.findingId, expiresAt));
      await expect(handle.result()).rejects.toMatchObject({ cause: { name: 'CancelledFailure' } });
      expect(await findingStatus(repo.findingId)).toBe('open');
      // Cancelling again (a closed run) and a timer that never started are both fine.
      await timer.cancel(repo.findingId, expiresAt);
      await timer.cancel(repo.findingId, new Date(expiresAt.getTime() + 1));
    });
    expect(warnings).toEqual([]);
  });

  it('still saves the ignore when Temporal is down; the sweep then reopens it, once', async () => {
    const repo = await failingRepo();
    // Nothing listens there: every call fails.
    const connection = await Connection.lazy({ address: '127.0.0.1:1' });
    const down = new TemporalTriageExpiryTimer(new Client({ connection }), 'nowhere', 500);
    const warnings: string[] = [];
    const expiresAt = new Date(Date.now() + 3_000);
    await ignore(repo, expiresAt, down, (message) => warnings.push(message));
    await connection.close();
    expect(await findingStatus(repo.findingId)).toBe('ignored');
    expect(warnings).toEqual([
      expect.stringContaining(`expiry timer of finding ${repo.findingId} not started`),
    ]);

    await eventually(async () => {
      await sweep().execute({ limit: 1000 });
      return (await findingStatus(repo.findingId)) === 'open';
    });
    await sweep().execute({ limit: 1000 });
    expect(await repoStatus(repo.repoId)).toBe('FAIL');
    const key = `expiry:${repo.findingId}:${expiresAt.getTime()}`;
    expect((await eventsOf(repo.repoId, ['triage.expired', 'repo.status_changed'])).slice(2)).toEqual([
      expect.objectContaining({ type: 'triage.expired', group_key: key }),
      expect.objectContaining({
        type: 'repo.status_changed',
        group_key: key,
        payload: expect.objectContaining({ cause: 'triage_expiry' }),
      }),
    ]);
  });

  it('is told by the scan whose findings sync opens an expired ignore first, and not again by the sweep', async () => {
    const repo = await failingRepo();
    const expiresAt = new Date(Date.now() + 1_000);
    await ignore(repo, expiresAt);
    await eventually(() => Promise.resolve(Date.now() > expiresAt.getTime() + 50), 10_000);
    const scanId = await repo.scanAgain();
    await sweep().execute({ limit: 1000 });

    expect(await findingStatus(repo.findingId)).toBe('open');
    const expired = await eventsOf(repo.repoId, ['triage.expired']);
    expect(expired).toEqual([
      expect.objectContaining({
        group_key: scanId,
        scan_id: scanId,
        payload: expect.objectContaining({ expired_at: expiresAt.toISOString() }),
      }),
    ]);
  });
});
