import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { SYSTEM_SCOPE, type NewPullRequestCheck, type PullRequestComparison } from '@repoguard/domain';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmUnitOfWork } from './mikro-orm-unit-of-work';

// Pull-request checks and risk acceptances on real PostgreSQL, through the unit of work the API uses.
describe('pull-request checks and risk acceptances', () => {
  let orm: MikroORM;
  let uow: MikroOrmUnitOfWork;
  const db = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 5 }),
    );
    uow = new MikroOrmUnitOfWork(orm.em);
  });
  afterAll(async () => orm?.close(true));

  async function orgWithRepo(): Promise<{ orgId: string; repoId: string }> {
    const orgId = randomUUID();
    await db()('organizations').insert({ id: orgId, name: 'prc', slug: `prc-${orgId.slice(0, 12)}` });
    const repoId = randomUUID();
    await db()('repositories').insert({
      id: repoId,
      org_id: orgId,
      owner: 'acme',
      name: `api-${repoId.slice(0, 8)}`,
      default_branch: 'main',
    });
    return { orgId, repoId };
  }

  const check = (
    orgId: string,
    repoId: string,
    over: Partial<NewPullRequestCheck> = {},
  ): NewPullRequestCheck => ({
    id: randomUUID(),
    orgId,
    repoId,
    prNumber: 7,
    headSha: 'a'.repeat(40),
    baseRef: 'main',
    baseSha: 'b'.repeat(40),
    requestedBy: 'webhook:d1',
    ...over,
  });

  const comparison: PullRequestComparison = {
    baseCommitSha: 'b'.repeat(40),
    headCommitSha: 'a'.repeat(40),
    baseScanId: null,
    manifestsChanged: [],
    introduced: [],
    resolved: [],
    accepted: [],
    status: 'OK',
    reasons: [],
    incomplete: [],
  };

  it('keeps one row per head: a rerequest of an ended check queues it again, newest request first', async () => {
    const { orgId, repoId } = await orgWithRepo();
    const scope = { orgIds: [orgId] };
    const first = await uow.transaction(scope, (s) => s.pullRequestChecks.request(check(orgId, repoId)));
    expect(first).toMatchObject({ state: 'queued', prNumber: 7, conclusion: null, comparison: null });

    expect(
      await uow.transaction(SYSTEM_SCOPE, (s) =>
        s.pullRequestChecks.markInProgress(first.id, first.requestedAt),
      ),
    ).toBe(true);
    // A request already taken is not taken twice.
    expect(await uow.transaction(SYSTEM_SCOPE, (s) => s.pullRequestChecks.markInProgress(first.id))).toBe(
      false,
    );
    await uow.transaction(SYSTEM_SCOPE, async (s) => {
      await s.pullRequestChecks.recordDelivery(first.id, 'check_run', '991');
      await s.pullRequestChecks.complete(first.id, comparison, 'success');
    });
    const done = await uow.read(scope, (s) => s.pullRequestChecks.get(first.id));
    expect(done).toMatchObject({ state: 'completed', conclusion: 'success', checkRunId: '991', comparison });
    expect(done!.completedAt).toBeInstanceOf(Date);
    expect(await uow.read(scope, (s) => s.pullRequestChecks.findByCheckRun(repoId, '991'))).toMatchObject({
      id: first.id,
    });

    await new Promise((r) => setTimeout(r, 5));
    const again = await uow.transaction(scope, (s) =>
      s.pullRequestChecks.request(check(orgId, repoId, { requestedBy: 'github:rerequest' })),
    );
    expect(again).toMatchObject({ id: first.id, state: 'queued', requestedBy: 'github:rerequest' });
    expect(again.requestedAt.getTime()).toBeGreaterThan(first.requestedAt.getTime());
    // The request made before the rerequest cannot be taken for it.
    expect(
      await uow.transaction(SYSTEM_SCOPE, (s) =>
        s.pullRequestChecks.markInProgress(first.id, first.requestedAt),
      ),
    ).toBe(false);

    const newer = await uow.transaction(scope, (s) =>
      s.pullRequestChecks.request(check(orgId, repoId, { headSha: 'c'.repeat(40) })),
    );
    await uow.transaction(SYSTEM_SCOPE, (s) => s.pullRequestChecks.supersede(first.id));
    const listed = await uow.read(scope, (s) => s.pullRequestChecks.listForPullRequest(repoId, 7));
    expect(listed.map((c) => [c.id, c.state])).toEqual([
      [newer.id, 'queued'],
      [first.id, 'superseded'],
    ]);
  });

  it('fails a check with its code, and a superseded or failed check stays as it ended', async () => {
    const { orgId, repoId } = await orgWithRepo();
    const row = await uow.transaction(SYSTEM_SCOPE, (s) => s.pullRequestChecks.request(check(orgId, repoId)));
    await uow.transaction(SYSTEM_SCOPE, (s) => s.pullRequestChecks.fail(row.id, 'MANIFEST_TOO_LARGE'));
    await uow.transaction(SYSTEM_SCOPE, (s) => s.pullRequestChecks.complete(row.id, comparison, 'success'));
    await uow.transaction(SYSTEM_SCOPE, (s) => s.pullRequestChecks.supersede(row.id));
    expect(await uow.read(SYSTEM_SCOPE, (s) => s.pullRequestChecks.get(row.id))).toMatchObject({
      state: 'failed',
      errorCode: 'MANIFEST_TOO_LARGE',
      conclusion: 'failure',
    });
  });

  it('hands the relay what is due once, holds it for the lease, and forgets what the workflow took', async () => {
    const { orgId, repoId } = await orgWithRepo();
    const queue = `q-${randomUUID()}`;
    const held = await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.pullRequestChecks.request(check(orgId, repoId, { prNumber: 1 }), {
        relayHoldMs: 60_000,
        taskQueue: queue,
      }),
    );
    const due = await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.pullRequestChecks.request(check(orgId, repoId, { prNumber: 2 }), { taskQueue: queue }),
    );
    // Another task queue's request is its relay's, never this one's.
    await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.pullRequestChecks.request(check(orgId, repoId, { prNumber: 3 }), { taskQueue: `${queue}-other` }),
    );
    const claimed = await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.pullRequestChecks.claimUnrelayed(queue, 1000, 60_000),
    );
    const mine = claimed.filter((c) => c.repoId === repoId).map((c) => c.id);
    expect(mine).toEqual([due.id]);
    expect(held.id).not.toBe(due.id);
    // Held for the lease: the next round does not send it again.
    const next = await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.pullRequestChecks.claimUnrelayed(queue, 1000, 60_000),
    );
    expect(next.filter((c) => c.repoId === repoId)).toEqual([]);
    // Relayed: once the lease ran out it is still not due.
    await uow.transaction(SYSTEM_SCOPE, (s) => s.pullRequestChecks.markRelayed(due.id, due.requestedAt));
    await db()('pull_request_checks')
      .where({ repo_id: repoId })
      .update({
        relay_due_at: db().raw(
          `case when relay_due_at is null then null else now() - interval '1 second' end`,
        ),
      });
    const after = await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.pullRequestChecks.claimUnrelayed(queue, 1000, 60_000),
    );
    expect(after.filter((c) => c.repoId === repoId).map((c) => c.id)).toEqual([held.id]);
  });

  it("another org's scope reads none of its checks or risk acceptances", async () => {
    const mine = await orgWithRepo();
    const theirs = await orgWithRepo();
    const row = await uow.transaction({ orgIds: [theirs.orgId] }, (s) =>
      s.pullRequestChecks.request(check(theirs.orgId, theirs.repoId)),
    );
    await db()('pull_request_checks').where({ id: row.id }).update({ check_run_id: '4242' });
    await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.riskAcceptances.accept({
        id: randomUUID(),
        orgId: theirs.orgId,
        repoId: theirs.repoId,
        vulnerabilityId: 'GHSA-xxxx-yyyy-zzzz',
        ecosystem: 'npm',
        packageName: 'lodash',
        reason: 'accepted on the check',
        acceptedBy: 'github:octocat',
        expiresAt: new Date(Date.now() + 86_400_000),
      }),
    );
    const scope = { orgIds: [mine.orgId] };
    await uow.read(scope, async (s) => {
      expect(await s.pullRequestChecks.get(row.id)).toBeNull();
      expect(await s.pullRequestChecks.findByCheckRun(theirs.repoId, '4242')).toBeNull();
      expect(await s.pullRequestChecks.listForPullRequest(theirs.repoId, 7)).toEqual([]);
      expect(await s.riskAcceptances.inForce(theirs.repoId, new Date())).toEqual([]);
    });
    await uow.read({ orgIds: [theirs.orgId] }, async (s) => {
      expect(await s.pullRequestChecks.get(row.id)).toMatchObject({ id: row.id });
      expect(await s.riskAcceptances.inForce(theirs.repoId, new Date())).toHaveLength(1);
    });
  });

  it('keeps one risk acceptance per key, moving its expiry; an expired one is not in force', async () => {
    const { orgId, repoId } = await orgWithRepo();
    const base = {
      orgId,
      repoId,
      vulnerabilityId: 'GHSA-aaaa-bbbb-cccc',
      ecosystem: 'npm' as const,
      packageName: 'lodash',
      reason: 'r',
      acceptedBy: 'github:octocat',
    };
    const now = new Date();
    const first = await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.riskAcceptances.accept({ ...base, id: randomUUID(), expiresAt: new Date(now.getTime() + 1000) }),
    );
    const moved = await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.riskAcceptances.accept({
        ...base,
        id: randomUUID(),
        acceptedBy: 'user:u2',
        expiresAt: new Date(now.getTime() + 30 * 86_400_000),
      }),
    );
    expect(moved).toMatchObject({ id: first.id, acceptedBy: 'user:u2' });
    expect(await uow.read(SYSTEM_SCOPE, (s) => s.riskAcceptances.inForce(repoId, now))).toHaveLength(1);
    expect(
      await uow.read(SYSTEM_SCOPE, (s) =>
        s.riskAcceptances.inForce(repoId, new Date(now.getTime() + 31 * 86_400_000)),
      ),
    ).toEqual([]);
  });
});
