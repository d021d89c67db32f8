import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { OrganizationEntity, RepositoryEntity } from '../entities';
import { MikroOrmScanRepository } from './mikro-orm-scan-repository';

// The scan rows' end of life on the real database: what the reconciler reads and closes, and
// what a step may still write once its repository is disconnected.
describe('MikroOrmScanRepository at the end of a scan', () => {
  let orm: MikroORM;
  let scans: MikroOrmScanRepository;
  const knex = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 4 }),
    );
    scans = new MikroOrmScanRepository(orm.em);
  });
  afterAll(async () => {
    await orm?.close(true);
  });

  async function repoWithScan(runId: string | null = randomUUID()) {
    const em = orm.em.fork();
    const suffix = randomUUID().slice(0, 12);
    const org = em.create(OrganizationEntity, { name: 'scan-end', slug: `scan-end-${suffix}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'end',
      name: suffix,
      defaultBranch: 'main',
    });
    await em.flush();
    const scanId = randomUUID();
    await scans.queue({
      scanId,
      orgId: org.id,
      repoId: repo.id,
      workflowId: `repo-scan:${repo.id}`,
      runId,
      promisedByRunId: runId === null ? 'promising-run' : null,
      trigger: 'api',
      requestedBy: 'test',
      ref: null,
    });
    return { orgId: org.id, repoId: repo.id, scanId };
  }
  const row = async (scanId: string) =>
    (await knex()('scans').where({ id: scanId }).first('status', 'error_code', 'phase_timings')) as {
      status: string;
      error_code: string | null;
      phase_timings: Record<string, number>;
    };

  it('lists unfinished rows oldest first, with the run that promised a queued one, from a cursor on', async () => {
    const a = await repoWithScan(null);
    const b = await repoWithScan();
    const done = await repoWithScan();
    await scans.complete(done.scanId, new Date());
    const all = (await scans.unfinished(new Date(Date.now() + 60_000), 10_000)).filter((s) =>
      ([a.scanId, b.scanId, done.scanId] as string[]).includes(s.scanId),
    );
    expect(all.map((s) => s.scanId)).toEqual([a.scanId, b.scanId]);
    expect(all[0]).toMatchObject({ runId: null, promisedByRunId: 'promising-run' });
    const after = await scans.unfinished(new Date(Date.now() + 60_000), 10_000, {
      createdAt: all[0]!.createdAt,
      scanId: all[0]!.scanId,
    });
    expect(after.map((s) => s.scanId)).toContain(b.scanId);
    expect(after.map((s) => s.scanId)).not.toContain(a.scanId);
  });

  it('abandons only a row that is not final yet', async () => {
    const open = await repoWithScan();
    const done = await repoWithScan();
    await scans.complete(done.scanId, new Date());
    expect(await scans.abandon(open.scanId, 'SCAN_ABANDONED', 'gone', new Date())).toBe(true);
    expect(await scans.abandon(open.scanId, 'SCAN_ABANDONED', 'again', new Date())).toBe(false);
    expect(await scans.abandon(done.scanId, 'SCAN_ABANDONED', 'late', new Date())).toBe(false);
    expect(await row(open.scanId)).toMatchObject({ status: 'FAILED', error_code: 'SCAN_ABANDONED' });
    expect(await row(done.scanId)).toMatchObject({ status: 'COMPLETED', error_code: null });
  });

  it('writes no progress once the repository is disconnected, but still its failure', async () => {
    const { repoId, scanId } = await repoWithScan();
    await scans.phase(scanId, 'FETCHING');
    await knex()('repositories').where({ id: repoId }).delete();
    await scans.phase(scanId, 'PARSING');
    await scans.recordPhase(scanId, 'fetch', 12);
    expect(await row(scanId)).toMatchObject({ status: 'FETCHING', phase_timings: {} });
    await scans.fail(scanId, 'REPO_DISCONNECTED', 'gone', new Date());
    expect(await row(scanId)).toMatchObject({ status: 'FAILED', error_code: 'REPO_DISCONNECTED' });
  });
});
