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
  /** The pull requests whose workflow runs (`<repo id>:<number>`). */
  readonly running = new Set<string>();
  async isRunning(repoId: string, prNumber: number) {
    if (this.down) throw scanEngineUnavailable('connection refused');
    return this.running.has(`${repoId}:${prNumber}`);
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
      stalledAfterMs: 60_000,
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
      stalledAfterMs: 60_000,
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
      stalledAfterMs: 60_000,
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
      stalledAfterMs: 60_000,
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

  it('sends again a check stuck in progress whose workflow ended, and leaves one whose workflow runs', async () => {
    const githubId = 700_000_000 + Math.floor(Math.random() * 1e8);
    const { repoId } = await connected(githubId);
    const starter = new SwitchableStarter();
    starter.down = false;
    const taskQueue = `relay-${randomUUID()}`;
    const relay = new RelayPullRequestChecks(uow, starter, {
      taskQueue,
      batchSize: 10,
      leaseMs: 60_000,
      skipImmediateAfterOutageMs: 60_000,
      stalledAfterMs: 60_000,
    });
    const requestCheck = new RequestPullRequestCheck(relay, randomUUID);
    const ask = async (number: number) => {
      const outcome = await uow.transaction(SYSTEM_SCOPE, (stores) =>
        requestCheck.executeIn(stores, { caller, deliveryId: `d-${number}`, event: event(githubId, number) }),
      );
      const checkId = outcome.checks![0]!.check_id;
      expect(await relay.relayAfterCommit([checkId])).toBe(1);
      const row = await uow.read(SYSTEM_SCOPE, (s) => s.pullRequestChecks.get(checkId));
      // Taken by its workflow (begin), which then ended without ending it (terminated).
      expect(
        await uow.transaction(SYSTEM_SCOPE, (s) =>
          s.pullRequestChecks.markInProgress(checkId, row!.requestedAt),
        ),
      ).toBe(true);
      return checkId;
    };
    const ended = await ask(11);
    const running = await ask(12);
    starter.running.add(`${repoId}:12`);
    starter.started.length = 0;

    // Not stalled yet: nothing is looked at.
    expect(await relay.resendStalled()).toBe(0);
    await db()('pull_request_checks')
      .where({ repo_id: repoId })
      .update({ updated_at: db().raw(`now() - interval '2 minutes'`) });
    expect(await relay.resendStalled()).toBe(1);

    expect(starter.started.map((s) => s.check.id)).toEqual([ended]);
    const states = await db()('pull_request_checks')
      .whereIn('id', [ended, running])
      .select('id', 'state', 'relay_due_at');
    expect(Object.fromEntries(states.map((r) => [r.id, [r.state, r.relay_due_at]]))).toEqual({
      [ended]: ['queued', null],
      [running]: ['in_progress', null],
    });
    // Looked at once per stall: the next round leaves both alone.
    expect(await relay.resendStalled()).toBe(0);
  });

  it('sends a rerequest made while the check is in progress: the row is queued again', async () => {
    const githubId = 700_000_000 + Math.floor(Math.random() * 1e8);
    await connected(githubId);
    const starter = new SwitchableStarter();
    starter.down = false;
    const relay = new RelayPullRequestChecks(uow, starter, {
      taskQueue: `relay-${randomUUID()}`,
      batchSize: 10,
      leaseMs: 60_000,
      skipImmediateAfterOutageMs: 60_000,
      stalledAfterMs: 60_000,
    });
    const requestCheck = new RequestPullRequestCheck(relay, randomUUID);
    const deliver = (deliveryId: string) =>
      uow.transaction(SYSTEM_SCOPE, (stores) =>
        requestCheck.executeIn(stores, { caller, deliveryId, event: event(githubId, 21) }),
      );
    const checkId = (await deliver('d-first')).checks![0]!.check_id;
    await relay.relayAfterCommit([checkId]);
    const first = await uow.read(SYSTEM_SCOPE, (s) => s.pullRequestChecks.get(checkId));
    await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.pullRequestChecks.markInProgress(checkId, first!.requestedAt),
    );
    await new Promise((r) => setTimeout(r, 5));

    // The same head asked for again mid-check (a second delivery, a rerequest, an accepted risk).
    await deliver('d-again');
    expect(await relay.relayAfterCommit([checkId])).toBe(1);
    const again = await uow.read(SYSTEM_SCOPE, (s) => s.pullRequestChecks.get(checkId));
    expect(again).toMatchObject({ state: 'queued' });
    expect(starter.started.map((s) => s.check.requestedAt.getTime())).toEqual([
      first!.requestedAt.getTime(),
      again!.requestedAt.getTime(),
    ]);
    // The check of the first request ends nothing: its completion is not the rerequest's.
    await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.pullRequestChecks.fail(checkId, 'PR_CHECK_FAILED', first!.requestedAt),
    );
    expect(await uow.read(SYSTEM_SCOPE, (s) => s.pullRequestChecks.get(checkId))).toMatchObject({
      state: 'queued',
    });
  });
});
