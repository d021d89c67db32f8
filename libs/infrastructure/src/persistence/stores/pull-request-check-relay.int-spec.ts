import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { RelayPullRequestChecks, RequestPullRequestCheck, type Caller } from '@repoguard/application';
import {
  scanEngineUnavailable,
  SYSTEM_SCOPE,
  type PullRequestCheckRecord,
  type PullRequestCheckStarter,
  type PullRequestCheckTarget,
} from '@repoguard/domain';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmUnitOfWork } from './mikro-orm-unit-of-work';

/** Temporal's part, as the relay sees it: down (TEMPORAL_UNAVAILABLE) until the test brings it up. */
class SwitchableStarter implements PullRequestCheckStarter {
  down = true;
  readonly started: { target: PullRequestCheckTarget; check: PullRequestCheckRecord }[] = [];
  workflowIdFor(repoId: string, prNumber: number) {
    return `pr-scan:${repoId}:${prNumber}`;
  }
  async start(target: PullRequestCheckTarget, check: PullRequestCheckRecord) {
    if (this.down) throw scanEngineUnavailable('connection refused');
    this.started.push({ target, check });
  }
}

// A pull_request delivery while Temporal is down: the check is committed with the delivery, and
// the relay sends it once Temporal is back. On real PostgreSQL; Temporal is the stand-in above.
describe('pull-request check requests while Temporal is down', () => {
  let orm: MikroORM;
  let uow: MikroOrmUnitOfWork;
  const db = () => orm.em.getKnex();
  const caller: Caller = {
    scope: SYSTEM_SCOPE,
    actor: { actorType: 'webhook', actorId: 'github:d1', correlationId: 'd1', ip: null },
  };

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 5 }),
    );
    uow = new MikroOrmUnitOfWork(orm.em);
  });
  afterAll(async () => orm?.close(true));

  async function connected(githubId: number, disabled = false) {
    const orgId = randomUUID();
    await db()('organizations').insert({ id: orgId, name: 'relay', slug: `relay-${orgId.slice(0, 12)}` });
    const repoId = randomUUID();
    await db()('repositories').insert({
      id: repoId,
      org_id: orgId,
      owner: 'acme',
      name: `r-${repoId.slice(0, 8)}`,
      default_branch: 'main',
      external_id: String(githubId),
      ...(disabled ? { disabled_at: new Date(), disabled_reason: 'archived' } : {}),
    });
    return { orgId, repoId };
  }

  const event = (githubId: number, number: number) => ({
    action: 'opened',
    number,
    draft: false,
    headSha: 'd'.repeat(40),
    baseRef: 'main',
    baseSha: null,
    repository: { id: githubId },
  });

  it('answers without Temporal and sends the check once it is back, once', async () => {
    const githubId = 700_000_000 + Math.floor(Math.random() * 1e8);
    const { repoId } = await connected(githubId);
    const starter = new SwitchableStarter();
    const taskQueue = `relay-${randomUUID()}`;
    const relay = new RelayPullRequestChecks(uow, starter, {
      taskQueue,
      batchSize: 10,
      leaseMs: 300,
      skipImmediateAfterOutageMs: 60_000,
    });
    const requestCheck = new RequestPullRequestCheck(relay, randomUUID);

    const outcome = await uow.transaction(SYSTEM_SCOPE, (stores) =>
      requestCheck.executeIn(stores, { caller, deliveryId: 'd1', event: event(githubId, 5) }),
    );
    expect(outcome).toMatchObject({ handled: true, checks: [{ repo_id: repoId, pr_number: 5 }] });
    const checkId = outcome.checks![0]!.check_id;
    // Sent right after the commit: Temporal is down, nothing is lost.
    expect(await relay.relayAfterCommit([checkId])).toBe(0);
    expect(await db()('pull_request_checks').where({ id: checkId }).first('state')).toEqual({
      state: 'queued',
    });
    expect(relay.relaysAtOnce).toBe(false);

    starter.down = false;
    // Held for the caller that tried, then due to the loop.
    await new Promise((r) => setTimeout(r, 400));
    const round = await relay.execute();
    expect(round).toMatchObject({ relayed: 1, engineUnavailable: false });
    expect(starter.started.map((s) => [s.check.id, s.target.defaultBranch])).toEqual([[checkId, 'main']]);
    await new Promise((r) => setTimeout(r, 400));
    expect((await relay.execute()).relayed).toBe(0);
    // The delivery is audited in the org's trail.
    const audit = await db()('audit_logs').where({ target_id: repoId }).select('action');
    expect(audit).toEqual([{ action: 'pull_request_check.requested' }]);
  });

  it('drops a queued request whose repository was disabled before it was sent', async () => {
    const githubId = 800_000_000 + Math.floor(Math.random() * 1e8);
    const { repoId } = await connected(githubId);
    const starter = new SwitchableStarter();
    starter.down = false;
    const relay = new RelayPullRequestChecks(uow, starter, {
      taskQueue: `relay-${randomUUID()}`,
      batchSize: 10,
      leaseMs: 300,
      skipImmediateAfterOutageMs: 60_000,
    });
    const outcome = await uow.transaction(SYSTEM_SCOPE, (stores) =>
      new RequestPullRequestCheck(relay, randomUUID).executeIn(stores, {
        caller,
        deliveryId: 'd2',
        event: event(githubId, 6),
      }),
    );
    await db()('repositories').where({ id: repoId }).update({ disabled_at: new Date() });
    expect(await relay.relayAfterCommit([outcome.checks![0]!.check_id])).toBe(0);
    expect(await db()('pull_request_checks').where({ repo_id: repoId }).first('state', 'error_code')).toEqual(
      {
        state: 'failed',
        error_code: 'REPO_DISABLED',
      },
    );
    expect(starter.started).toEqual([]);
  });

  it("finds nothing through another org's own webhook URL: the repository is not connected there", async () => {
    const githubId = 950_000_000 + Math.floor(Math.random() * 1e7);
    const { repoId } = await connected(githubId);
    const other = await connected(githubId + 1);
    const relay = new RelayPullRequestChecks(uow, new SwitchableStarter(), {
      taskQueue: `relay-${randomUUID()}`,
      batchSize: 10,
      leaseMs: 300,
      skipImmediateAfterOutageMs: 60_000,
    });
    const tenant: Caller = { ...caller, scope: { orgIds: [other.orgId] } };
    const outcome = await uow.transaction(tenant.scope, (stores) =>
      new RequestPullRequestCheck(relay, randomUUID).executeIn(stores, {
        caller: tenant,
        deliveryId: 'd4',
        event: event(githubId, 8),
      }),
    );
    expect(outcome).toMatchObject({ handled: false, outcome: 'repository not connected' });
    expect(await db()('pull_request_checks').where({ repo_id: repoId })).toEqual([]);
  });

  it('records a delivery for a disabled repository as ignored, with no check', async () => {
    const githubId = 900_000_000 + Math.floor(Math.random() * 1e7);
    const { repoId } = await connected(githubId, true);
    const relay = new RelayPullRequestChecks(uow, new SwitchableStarter(), {
      taskQueue: `relay-${randomUUID()}`,
      batchSize: 10,
      leaseMs: 300,
      skipImmediateAfterOutageMs: 60_000,
    });
    const outcome = await uow.transaction(SYSTEM_SCOPE, (stores) =>
      new RequestPullRequestCheck(relay, randomUUID).executeIn(stores, {
        caller,
        deliveryId: 'd3',
        event: event(githubId, 7),
      }),
    );
    expect(outcome).toMatchObject({ handled: false, outcome: 'repository disabled' });
    expect(await db()('pull_request_checks').where({ repo_id: repoId })).toEqual([]);
    expect(await db()('audit_logs').where({ target_id: repoId }).select('action')).toEqual([
      { action: 'webhook.ignored' },
    ]);
  });
});
