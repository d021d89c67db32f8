import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig } from '@repoguard/infrastructure';
import { createBeginRematchActivity } from './begin-rematch.activity';
import { createEvaluatePolicyActivity } from './evaluate-policy.activity';
import { createPersistActivity } from './persist.activity';
import {
  connectedRepo,
  findingRows,
  matchedSnapshot,
  scanRow,
  scanStepDeps,
  startedScan,
  type RepoRef,
  type ScanStepDeps,
} from './rematch.test-fixtures';

// Issue 16 point 1: a re-match that began on the repository's newest snapshot and is overtaken by
// a push scan (it was cancelled, or its step timed out and a stale attempt still runs) must not
// write over the push's findings, nor become the repository's latest completed scan.
// On the real database.
describe('a re-match overtaken by a newer scan', () => {
  let orm: MikroORM;
  const knex = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 4 }),
    );
  });
  afterAll(async () => {
    await orm?.close(true);
  });

  const deps = () => {
    let clock = Date.parse('2026-06-01T00:00:00Z');
    // Every step a second later than the one before.
    return scanStepDeps(orm, () => new Date((clock += 1_000)));
  };

  /** A push scan's row, started and completed through the same steps the worker runs. */
  async function pushScan(d: ScanStepDeps, repo: RepoRef, snapshotId: string) {
    const scanId = await startedScan(d, repo, 'push', 'github:push');
    await d.scans.phase(scanId, 'PARSING', { commitSha: 'abc', snapshotId });
    return scanId;
  }

  it('writes nothing when a push scan that started after it has persisted its own snapshot', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const persist = createPersistActivity(d);
    const evaluatePolicy = createEvaluatePolicyActivity(d);
    // The repository's first push scan: snapshot 1 holds `left-pad`, vulnerable.
    const older = await matchedSnapshot(d, repo, 'left-pad');
    const first = await pushScan(d, repo, older);
    await persist({ scanId: first, ...repo, snapshotId: older });
    await evaluatePolicy({ scanId: first, ...repo, snapshotId: older });

    // A re-match begins on snapshot 1, the newest completed then...
    const rematchId = randomUUID();
    const begun = await createBeginRematchActivity(d)({
      scanId: rematchId,
      ...repo,
      snapshotId: older,
      workflowId: `repo-scan:${repo.repoId}`,
      runId: randomUUID(),
      requestedBy: 'sync',
    });
    expect(begun.snapshotId).toBe(older);
    // ...a push overtakes it: snapshot 2 dropped left-pad and holds `is-even`, vulnerable.
    const newer = await matchedSnapshot(d, repo, 'is-even');
    const push = await pushScan(d, repo, newer);
    await persist({ scanId: push, ...repo, snapshotId: newer });
    expect(await findingRows(orm, repo.repoId)).toEqual({ 'left-pad': 'fixed', 'is-even': 'open' });

    // The overtaken re-match's persist and evaluation arrive late.
    const persisted = await persist({ scanId: rematchId, ...repo, snapshotId: older });
    await evaluatePolicy({ scanId: rematchId, ...repo, snapshotId: older });

    // The push's findings stand: nothing marked fixed, nothing reopened by the older snapshot.
    expect(persisted).toMatchObject({ opened: 0, fixed: 0, supersededBy: push });
    expect(await findingRows(orm, repo.repoId)).toEqual({ 'left-pad': 'fixed', 'is-even': 'open' });
    expect(await scanRow(orm, rematchId)).toMatchObject({ status: 'SUPERSEDED', error_code: null });

    // The push completes; the newest completed snapshot, which the next sync targets, is its own.
    await evaluatePolicy({ scanId: push, ...repo, snapshotId: newer });
    expect(await d.scans.latestCompletedSnapshot(repo.repoId)).toMatchObject({ snapshotId: newer });
  });

  it('does not complete, nor set the repository status, once a newer scan has persisted', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const persist = createPersistActivity(d);
    const evaluatePolicy = createEvaluatePolicyActivity(d);
    const older = await matchedSnapshot(d, repo, 'left-pad');
    const first = await pushScan(d, repo, older);
    await persist({ scanId: first, ...repo, snapshotId: older });
    await evaluatePolicy({ scanId: first, ...repo, snapshotId: older });

    // The re-match persisted before the push did, and evaluates after the push completed.
    const rematchId = randomUUID();
    await createBeginRematchActivity(d)({
      scanId: rematchId,
      ...repo,
      snapshotId: older,
      workflowId: `repo-scan:${repo.repoId}`,
      runId: randomUUID(),
      requestedBy: 'sync',
    });
    await persist({ scanId: rematchId, ...repo, snapshotId: older });
    const newer = await matchedSnapshot(d, repo, 'is-even');
    const push = await pushScan(d, repo, newer);
    await persist({ scanId: push, ...repo, snapshotId: newer });
    await evaluatePolicy({ scanId: push, ...repo, snapshotId: newer });

    const late = await evaluatePolicy({ scanId: rematchId, ...repo, snapshotId: older });

    expect(late).toMatchObject({ supersededBy: push });
    expect(await scanRow(orm, rematchId)).toMatchObject({ status: 'SUPERSEDED' });
    expect(await d.scans.latestCompletedSnapshot(repo.repoId)).toMatchObject({ snapshotId: newer });
    const evaluations = (await knex()('policy_evaluations')
      .where({ repo_id: repo.repoId })
      .pluck('scan_id')) as string[];
    expect(evaluations.sort()).toEqual([first, push].sort());
  });

  it('still lets the newer scan write after an older one persisted first', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const persist = createPersistActivity(d);
    const older = await matchedSnapshot(d, repo, 'left-pad');
    const first = await pushScan(d, repo, older);
    const newer = await matchedSnapshot(d, repo, 'is-even');
    const second = await pushScan(d, repo, newer);

    // The older scan's late persist comes first: nothing newer has persisted yet, so it writes...
    await expect(persist({ scanId: first, ...repo, snapshotId: older })).resolves.toMatchObject({
      opened: 1,
    });
    // ...and the newer scan's persist then wins.
    await expect(persist({ scanId: second, ...repo, snapshotId: newer })).resolves.toMatchObject({
      opened: 1,
      fixed: 1,
    });
    expect(await findingRows(orm, repo.repoId)).toEqual({ 'left-pad': 'fixed', 'is-even': 'open' });
  });

  it('keeps a re-match its workflow closed for a push closed, whatever its late steps do', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const older = await matchedSnapshot(d, repo, 'left-pad');
    const first = await pushScan(d, repo, older);
    await createPersistActivity(d)({ scanId: first, ...repo, snapshotId: older });
    await createEvaluatePolicyActivity(d)({ scanId: first, ...repo, snapshotId: older });

    // A push came: the workflow cancelled the re-match and closed its scan before its first step ran.
    const rematchId = randomUUID();
    const started = {
      scanId: rematchId,
      ...repo,
      workflowId: `repo-scan:${repo.repoId}`,
      runId: randomUUID(),
      requestedBy: 'sync',
    };
    await d.scans.close({ ...started, trigger: 'advisory', ref: null }, { status: 'SUPERSEDED' }, d.now());
    // The cancelled steps were already running and finish anyway (they did not hear of it in time:
    // a re-match is one activity, and the news comes with a heartbeat's answer).
    await createBeginRematchActivity(d)({ ...started, snapshotId: older });
    const persisted = await createPersistActivity(d)({ scanId: rematchId, ...repo, snapshotId: older });
    const judged = await createEvaluatePolicyActivity(d)({ scanId: rematchId, ...repo, snapshotId: older });

    // Its row closed, it writes neither findings nor a verdict.
    expect(persisted).toMatchObject({ opened: 0, fixed: 0, supersededBy: rematchId });
    expect(judged).toMatchObject({ status: null, supersededBy: rematchId });
    const evaluations = (await knex()('policy_evaluations')
      .where({ repo_id: repo.repoId })
      .pluck('scan_id')) as string[];
    expect(evaluations).toEqual([first]);
    expect(await scanRow(orm, rematchId)).toMatchObject({ status: 'SUPERSEDED' });
    const latest = (await knex()('scans')
      .where({ repo_id: repo.repoId, status: 'COMPLETED' })
      .pluck('id')) as string[];
    expect(latest).toEqual([first]);
  });
});
