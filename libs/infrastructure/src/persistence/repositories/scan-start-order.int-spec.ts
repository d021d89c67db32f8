import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { ScanRecordStart } from '@repoguard/domain';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { OrganizationEntity, RepositoryEntity } from '../entities';
import { MikroOrmScannedStateReader } from '../stores/mikro-orm-scanned-state-reader';
import { MikroOrmScanRepository } from './mikro-orm-scan-repository';

// Where a scan's start stands among the repository's others, on the real database: the place the
// database gave it (start_seq), kept through retries, and the start time for rows without one.
describe('scan start order', () => {
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

  async function connectedRepo() {
    const em = orm.em.fork();
    const suffix = randomUUID().slice(0, 12);
    const org = em.create(OrganizationEntity, { name: 'start-order', slug: `start-order-${suffix}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'o',
      name: suffix,
      defaultBranch: 'main',
    });
    await em.flush();
    return { orgId: org.id, repoId: repo.id };
  }
  const scanOf = (repo: { orgId: string; repoId: string }): ScanRecordStart => ({
    scanId: randomUUID(),
    ...repo,
    workflowId: `repo-scan:${repo.repoId}`,
    runId: randomUUID(),
    trigger: 'push',
    requestedBy: null,
    ref: null,
  });
  const snapshotOf = async (repo: { orgId: string; repoId: string }, commitSha: string) => {
    const id = randomUUID();
    await knex()('dependency_snapshots').insert({
      id,
      org_id: repo.orgId,
      repo_id: repo.repoId,
      commit_sha: commitSha,
      manifests: JSON.stringify([]),
    });
    return id;
  };
  const startOf = async (scanId: string) =>
    (await knex()('scans').where({ id: scanId }).first('start_seq', 'started_at')) as {
      start_seq: string | null;
      started_at: unknown;
    };

  it('gives a queued scan its place when it starts, and a retried start keeps it', async () => {
    const repo = await connectedRepo();
    const first = scanOf(repo);
    await scans.queue(first);
    expect(await startOf(first.scanId)).toEqual({ start_seq: null, started_at: null });

    await scans.start(first);
    const started = await startOf(first.scanId);
    const second = scanOf(repo);
    await scans.start(second);
    await scans.start(first);

    expect(started.start_seq).not.toBeNull();
    expect(await startOf(first.scanId)).toEqual(started);
    expect(BigInt((await startOf(second.scanId)).start_seq!)).toBeGreaterThan(BigInt(started.start_seq!));
  });

  it('orders a scan started without a place (by a worker before start_seq) by its start time', async () => {
    const repo = await connectedRepo();
    const current = scanOf(repo);
    const legacy = scanOf(repo);
    await scans.start(current);
    await scans.start(legacy);
    await knex()('scans').where({ id: legacy.scanId }).update({ start_seq: null, status: 'PERSISTING' });
    // A retried start of the legacy row gives it no place after every later start.
    await scans.start(legacy);
    expect((await startOf(legacy.scanId)).start_seq).toBeNull();

    const setLegacyStart = (offsetMs: number) =>
      knex()('scans')
        .where({ id: legacy.scanId })
        .update({
          started_at: knex().raw(
            `(select started_at from scans where id = ?) + ? * interval '1 millisecond'`,
            [current.scanId, offsetMs],
          ),
        });
    await setLegacyStart(1_000);
    expect(await scans.newerScanThan(current.scanId)).toBe(legacy.scanId);
    await setLegacyStart(-1_000);
    expect(await scans.newerScanThan(current.scanId)).toBeNull();
  });

  it('places a scan a worker of the release before starts during a rolling deploy after every earlier start', async () => {
    const repo = await connectedRepo();
    const current = scanOf(repo);
    const legacy = scanOf(repo);
    await scans.start(current);
    // What a worker still running the code before start_seq writes: its own clock, no place.
    await knex()('scans').insert({
      id: legacy.scanId,
      org_id: repo.orgId,
      repo_id: repo.repoId,
      workflow_id: legacy.workflowId,
      run_id: legacy.runId,
      trigger: 'push',
      ref: null,
      status: 'QUEUED',
      phase_timings: JSON.stringify({}),
      counts: JSON.stringify({}),
      started_at: new Date(Date.now() + 1_000),
    });
    const [currentSnapshot, legacySnapshot] = [
      await snapshotOf(repo, 'a'.repeat(40)),
      await snapshotOf(repo, 'b'.repeat(40)),
    ];
    await knex()('scans').where({ id: current.scanId }).update({ snapshot_id: currentSnapshot });
    await knex()('scans').where({ id: legacy.scanId }).update({ snapshot_id: legacySnapshot });
    await scans.complete(current.scanId, new Date());
    await scans.complete(legacy.scanId, new Date());

    // Both orders agree: the scan started last is newer than the other and the latest completed.
    expect(await scans.newerScanThan(current.scanId)).toBe(legacy.scanId);
    expect(await scans.latestCompletedSnapshot(repo.repoId)).toMatchObject({
      snapshotId: legacySnapshot,
      commitSha: 'b'.repeat(40),
    });
    expect(BigInt((await startOf(legacy.scanId)).start_seq ?? 0)).toBeGreaterThan(
      BigInt((await startOf(current.scanId)).start_seq!),
    );
  });

  it('names the scan started last the latest completed, whatever the workers clocks said when they completed', async () => {
    const repo = await connectedRepo();
    const older = scanOf(repo);
    const newer = scanOf(repo);
    await scans.start(older);
    await scans.start(newer);
    const olderSnapshot = await snapshotOf(repo, 'a'.repeat(40));
    const newerSnapshot = await snapshotOf(repo, 'b'.repeat(40));
    await knex()('scans').where({ id: older.scanId }).update({ snapshot_id: olderSnapshot });
    await knex()('scans').where({ id: newer.scanId }).update({ snapshot_id: newerSnapshot });
    // The newer scan completed on a host whose clock runs a minute behind the older one's.
    await scans.complete(newer.scanId, new Date(Date.now() - 60_000));
    await scans.complete(older.scanId, new Date());

    expect(await scans.latestCompletedSnapshot(repo.repoId)).toMatchObject({
      snapshotId: newerSnapshot,
      commitSha: 'b'.repeat(40),
    });
    expect((await new MikroOrmScannedStateReader(orm.em.fork()).lastScanned(repo.repoId))?.snapshotId).toBe(
      newerSnapshot,
    );
  });

  it('serves as a pull request base only completed scans of the default branch, and of the commit asked', async () => {
    const repo = await connectedRepo();
    const completedScan = async (ref: string | null, commitSha: string) => {
      const scan = { ...scanOf(repo), ref };
      await scans.start(scan);
      const snapshotId = await snapshotOf(repo, commitSha);
      await knex()('scans').where({ id: scan.scanId }).update({ snapshot_id: snapshotId });
      await scans.complete(scan.scanId, new Date());
      return snapshotId;
    };
    const scheduled = await completedScan(null, 'a'.repeat(40));
    const pushed = await completedScan('refs/heads/main', 'b'.repeat(40));
    // POST /repos/{id}/scans {ref} scanned another branch last.
    const feature = await completedScan('feature', 'c'.repeat(40));

    expect(await scans.latestCompletedSnapshot(repo.repoId)).toMatchObject({ snapshotId: feature });
    expect(await scans.latestCompletedSnapshot(repo.repoId, { defaultBranch: 'main' })).toMatchObject({
      snapshotId: pushed,
      commitSha: 'b'.repeat(40),
    });
    const asked = (commitSha: string) =>
      scans.latestCompletedSnapshot(repo.repoId, { defaultBranch: 'main', commitSha });
    expect(await asked('a'.repeat(40))).toMatchObject({ snapshotId: scheduled });
    expect(await asked('c'.repeat(40))).toBeNull();
    await completedScan('main', 'd'.repeat(40));
    expect(await asked('d'.repeat(40))).not.toBeNull();
  });
});
