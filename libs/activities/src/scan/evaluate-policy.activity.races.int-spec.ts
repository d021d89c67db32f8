import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { DEFAULT_POLICY, type ScanRepository } from '@repoguard/domain';
import { createMikroOrmConfig, FindingEntity, PolicyEntity } from '@repoguard/infrastructure';
import { createEvaluatePolicyActivity } from './evaluate-policy.activity';
import { connectedRepo, scanStepDeps, startedScan, type RepoRef } from './rematch.test-fixtures';

// evaluatePolicy judges outside the repository's lock and stores its verdict under it. A triage
// decision or a policy change committing in between judged the repository on what the verdict then
// overwrites: the repository must be left due, for the sweep, not stored as settled. On the real
// database, with the change made between the judging and the completion.
describe('evaluatePolicy, with a change committing before its verdict is stored', () => {
  let orm: MikroORM;
  const knex = () => orm.em.getKnex();
  const NOW = new Date('2026-06-01T12:00:00.000Z');
  const IGNORED_UNTIL = new Date('2026-07-01T00:00:00.123Z');

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 4 }),
    );
  });
  afterAll(async () => {
    await orm?.close(true);
  });

  /** A scanned repository with one open HIGH finding and one ignored until IGNORED_UNTIL. */
  async function scannedRepo() {
    const d = scanStepDeps(orm, () => NOW);
    const repo = await connectedRepo(orm);
    const snapshotId = await d.snapshots.create({
      ...repo,
      commitSha: 'b'.repeat(40),
      manifests: [],
      dependencies: [],
    });
    const em = orm.em.fork();
    const finding = (packageName: string, ignored: boolean) =>
      em.create(FindingEntity, {
        ...repo,
        ecosystem: 'npm',
        packageName,
        version: '1.0.0',
        manifestPath: 'package-lock.json',
        vulnerabilityId: `GHSA-${randomUUID().slice(0, 8)}`,
        aliases: [],
        severity: 'HIGH',
        fixedVersions: [],
        lastSnapshotId: snapshotId,
        firstSeen: NOW,
        lastSeen: NOW,
        ...(ignored ? { status: 'ignored', triageStatus: 'ignored', triageExpiresAt: IGNORED_UNTIL } : {}),
      });
    const open = finding('open-pkg', false);
    finding('ignored-pkg', true);
    await em.flush();
    const scanId = await startedScan(d, repo);
    return { d, repo, openFindingId: open.id, input: { scanId, ...repo, snapshotId } };
  }

  /** The scan steps' ports, with `meanwhile` committed just before the completion takes the lock. */
  function completingAfter(d: ReturnType<typeof scanStepDeps>, meanwhile: () => Promise<unknown>) {
    const scans: ScanRepository = Object.assign(Object.create(d.scans) as ScanRepository, {
      completeUnlessSuperseded: async (...args: Parameters<ScanRepository['completeUnlessSuperseded']>) => {
        await meanwhile();
        return d.scans.completeUnlessSuperseded(...args);
      },
    });
    return createEvaluatePolicyActivity({ ...d, scans });
  }

  // Plain queries get timestamps back as text.
  const repoRow = async ({ repoId }: RepoRef) => {
    const row = (await knex()('repositories')
      .where({ id: repoId })
      .first('status', 'status_reevaluate_at')) as { status: string; status_reevaluate_at: string | null };
    const at = row.status_reevaluate_at;
    return { status: row.status, status_reevaluate_at: at === null ? null : new Date(at) };
  };

  it('stores the verdict with the time its ignore lapses when nothing changed meanwhile', async () => {
    const { d, repo, input } = await scannedRepo();
    await completingAfter(d, () => Promise.resolve())(input);
    expect(await repoRow(repo)).toEqual({ status: 'FAIL', status_reevaluate_at: IGNORED_UNTIL });
  });

  it('leaves the repository due when a triage decision committed after the judging', async () => {
    const { d, repo, openFindingId, input } = await scannedRepo();
    // What TriageFinding commits: the finding ignored, the repository judged again on it (OK).
    const triage = async () => {
      await knex()('findings')
        .where({ id: openFindingId })
        .update({ status: 'ignored', triage_status: 'ignored', triaged_at: NOW });
      await knex()('repositories')
        .where({ id: repo.repoId })
        .update({ status: 'OK', status_reevaluate_at: null });
    };
    const answer = await completingAfter(d, triage)(input);
    expect(answer.status).toBe('FAIL');
    expect(await repoRow(repo)).toEqual({ status: 'FAIL', status_reevaluate_at: NOW });
  });

  it('leaves the repository due when a new policy version was saved after the judging', async () => {
    const { d, repo, input } = await scannedRepo();
    // Judged again at once under the new version, as UpdatePolicy does: nothing is left due by it.
    const newPolicy = async () => {
      const em = orm.em.fork();
      const rules = { ...DEFAULT_POLICY, fail_on_severity: 'CRITICAL' as const };
      em.create(PolicyEntity, { orgId: repo.orgId, version: 1, rules });
      await em.flush();
      await knex()('repositories')
        .where({ id: repo.repoId })
        .update({ status: 'OK', status_reevaluate_at: null });
    };
    await completingAfter(d, newPolicy)(input);
    expect(await repoRow(repo)).toEqual({ status: 'FAIL', status_reevaluate_at: NOW });
  });

  it('keeps the earlier due time a policy change stored meanwhile', async () => {
    const { d, repo, input } = await scannedRepo();
    const markedDueAt = new Date('2026-06-01T11:59:00.000Z');
    const markDue = () =>
      knex()('repositories').where({ id: repo.repoId }).update({ status_reevaluate_at: markedDueAt });
    await completingAfter(d, markDue)(input);
    expect((await repoRow(repo)).status_reevaluate_at).toEqual(markedDueAt);
  });
});
