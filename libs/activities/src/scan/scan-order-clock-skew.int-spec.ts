import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { ManifestSource } from '@repoguard/domain';
import { createMikroOrmConfig, MikroOrmManifestBlobStore } from '@repoguard/infrastructure';
import { createBeginRematchActivity } from './begin-rematch.activity';
import { createEvaluatePolicyActivity } from './evaluate-policy.activity';
import { createFetchManifestActivity } from './fetch-manifest.activity';
import { createPersistActivity } from './persist.activity';
import { DEFAULT_SCAN_LIMITS } from './scan-activity.types';
import {
  connectedRepo,
  findingRows,
  matchedSnapshot,
  scanRow,
  scanStepDeps,
  type RepoRef,
  type ScanStepDeps,
} from './rematch.test-fixtures';

// Workers on several hosts whose clocks disagree: which of two scans of a repository started later
// is the order the database saw their starts in, never what the workers' clocks said. On the real
// database, each scan's steps run with the clock of the host that ran them.
describe('scan order across workers with skewed clocks', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 4 }),
    );
  });
  afterAll(async () => {
    await orm?.close(true);
  });

  /** A worker host whose clock reads `offsetMinutes` off the true time, a second on per step. */
  const host = (offsetMinutes: number): ScanStepDeps => {
    let clock = Date.parse('2026-06-01T00:00:00Z') + offsetMinutes * 60_000;
    return scanStepDeps(orm, () => new Date((clock += 1_000)));
  };

  /** A commit with no manifests: the push's fetch opens its row, as on a worker. */
  const emptyCommit: ManifestSource = {
    forRepository: async () => ({
      resolveCommit: async (ref) => ({ sha: 'c0ffee', ref: ref ?? 'main' }),
      listTree: async () => [],
      readBlob: async () => new Uint8Array(),
    }),
  };

  /** A push scan begun by `worker`'s fetch step, then parsed into `snapshotId`. */
  async function pushScan(worker: ScanStepDeps, repo: RepoRef, snapshotId: string) {
    const scanId = randomUUID();
    const fetchManifest = createFetchManifestActivity({
      ...worker,
      manifestSource: emptyCommit,
      blobStore: new MikroOrmManifestBlobStore(orm.em),
      limits: DEFAULT_SCAN_LIMITS,
    });
    await fetchManifest({
      scanId,
      ...repo,
      owner: 'rematch',
      name: 'repo',
      workflowId: `repo-scan:${repo.repoId}`,
      runId: randomUUID(),
      trigger: 'push',
      requestedBy: 'github:push',
    });
    await worker.scans.phase(scanId, 'PARSING', { commitSha: 'c0ffee', snapshotId });
    return scanId;
  }

  /** The repository's first scan, completed on snapshot 1 (`left-pad` vulnerable). */
  async function scannedRepo(worker: ScanStepDeps) {
    const repo = await connectedRepo(orm);
    const older = await matchedSnapshot(worker, repo, 'left-pad');
    const first = await pushScan(worker, repo, older);
    await createPersistActivity(worker)({ scanId: first, ...repo, snapshotId: older });
    await createEvaluatePolicyActivity(worker)({ scanId: first, ...repo, snapshotId: older });
    return { repo, older };
  }

  async function beginRematch(worker: ScanStepDeps, repo: RepoRef, snapshotId: string) {
    const scanId = randomUUID();
    await createBeginRematchActivity(worker)({
      scanId,
      ...repo,
      snapshotId,
      workflowId: `repo-scan:${repo.repoId}`,
      runId: randomUUID(),
      requestedBy: 'sync',
    });
    return scanId;
  }

  it('refuses the re-match that started first, though its worker clock ran ahead of the push', async () => {
    const { repo, older } = await scannedRepo(host(-10));
    const ahead = host(5);
    const onTime = host(0);

    const rematch = await beginRematch(ahead, repo, older);
    // The push starts after the re-match, on a host whose clock reads earlier than the re-match's.
    const newer = await matchedSnapshot(onTime, repo, 'is-even');
    const push = await pushScan(onTime, repo, newer);
    await createPersistActivity(onTime)({ scanId: push, ...repo, snapshotId: newer });

    const late = await createPersistActivity(ahead)({ scanId: rematch, ...repo, snapshotId: older });

    expect(late).toMatchObject({ opened: 0, fixed: 0, supersededBy: push });
    expect(await scanRow(orm, rematch)).toMatchObject({ status: 'SUPERSEDED', error_code: null });
    expect(await findingRows(orm, repo.repoId)).toEqual({ 'left-pad': 'fixed', 'is-even': 'open' });
    const evaluated = await createEvaluatePolicyActivity(onTime)({
      scanId: push,
      ...repo,
      snapshotId: newer,
    });
    expect(evaluated.supersededBy).toBeUndefined();
    expect(await scanRow(orm, push)).toMatchObject({ status: 'COMPLETED' });
    expect(await onTime.scans.latestCompletedSnapshot(repo.repoId)).toMatchObject({ snapshotId: newer });
  });

  it('lets the push that started last stand, though its worker clock ran behind the re-match', async () => {
    const { repo, older } = await scannedRepo(host(-10));
    const onTime = host(0);
    const behind = host(-5);

    const rematch = await beginRematch(onTime, repo, older);
    // The re-match persists first: nothing that started after it has persisted yet.
    await createPersistActivity(onTime)({ scanId: rematch, ...repo, snapshotId: older });
    const newer = await matchedSnapshot(behind, repo, 'is-even');
    const push = await pushScan(behind, repo, newer);

    const persisted = await createPersistActivity(behind)({ scanId: push, ...repo, snapshotId: newer });
    const evaluated = await createEvaluatePolicyActivity(behind)({
      scanId: push,
      ...repo,
      snapshotId: newer,
    });
    const late = await createEvaluatePolicyActivity(onTime)({ scanId: rematch, ...repo, snapshotId: older });

    expect(persisted).toMatchObject({ opened: 1, fixed: 1 });
    expect(persisted.supersededBy).toBeUndefined();
    expect(evaluated.supersededBy).toBeUndefined();
    expect(await scanRow(orm, push)).toMatchObject({ status: 'COMPLETED' });
    expect(late).toMatchObject({ supersededBy: push });
    expect(await scanRow(orm, rematch)).toMatchObject({ status: 'SUPERSEDED' });
    expect(await findingRows(orm, repo.repoId)).toEqual({ 'left-pad': 'fixed', 'is-even': 'open' });
  });
});
