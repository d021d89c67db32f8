import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { SYSTEM_SCOPE, type ScanTarget } from '@repoguard/domain';
import { OrganizationEntity, RepositoryEntity } from '../entities';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmScanRequestOutbox } from './mikro-orm-scan-request-outbox';
import { MikroOrmUnitOfWork } from './mikro-orm-unit-of-work';

// The scan request outbox on the real database: an enqueue commits or rolls back with its cause,
// and relays in several processes claim disjoint rows without waiting on each other.
describe('MikroOrmScanRequestOutbox', () => {
  let orm: MikroORM;
  let uow: MikroOrmUnitOfWork;
  const knex = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 8 }),
    );
    uow = new MikroOrmUnitOfWork(orm.em);
  });
  afterAll(async () => orm?.close(true));

  async function connectedRepo(existingOrgId?: string): Promise<ScanTarget> {
    const em = orm.em.fork();
    const org = existingOrgId
      ? { id: existingOrgId }
      : em.create(OrganizationEntity, {
          name: 'outbox',
          slug: `outbox-${randomUUID().slice(0, 12)}`,
        });
    const name = randomUUID();
    const repo = em.create(RepositoryEntity, { orgId: org.id, owner: 'acme', name, defaultBranch: 'main' });
    await em.flush();
    return { orgId: org.id, repoId: repo.id, owner: 'acme', name };
  }

  const enqueue = (target: ScanTarget, taskQueue: string, holdMs = 0, id = randomUUID()) =>
    uow
      .transaction({ orgIds: [target.orgId] }, ({ scanRequestOutbox }) =>
        scanRequestOutbox.enqueue({
          id,
          target,
          details: { trigger: 'push', requestedBy: 'webhook:d-1', requestId: id, deliveryId: 'd-1' },
          routing: { taskQueue, timing: { quietWindowMs: 100 } },
          holdMs,
        }),
      )
      .then(() => id);

  const claim = (taskQueue: string, limit = 100, leaseMs = 30_000, ids?: string[]) =>
    uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
      scanRequestOutbox.claim({ taskQueue, limit, leaseMs, ...(ids ? { ids } : {}) }),
    );
  const row = (id: string) => knex()('scan_request_outbox').where({ id }).first();
  const outbox = <T>(work: (o: MikroOrmScanRequestOutbox) => Promise<T>) =>
    uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
      work(scanRequestOutbox as MikroOrmScanRequestOutbox),
    );

  it('is written with its cause or not at all', async () => {
    const target = await connectedRepo();
    const taskQueue = `q-${randomUUID()}`;
    const id = randomUUID();
    await expect(
      uow.transaction({ orgIds: [target.orgId] }, async ({ scanRequestOutbox }) => {
        await scanRequestOutbox.enqueue({
          id,
          target,
          details: { trigger: 'api', requestedBy: 'user:u', requestId: id },
          routing: { taskQueue },
        });
        throw new Error('the delivery could not be recorded');
      }),
    ).rejects.toThrow('the delivery could not be recorded');
    expect(await row(id)).toBeUndefined();

    const kept = await enqueue(target, taskQueue);
    expect(await row(kept)).toMatchObject({
      org_id: target.orgId,
      repo_id: target.repoId,
      task_queue: taskQueue,
      delivery_id: 'd-1',
      attempts: 0,
      relayed_at: null,
    });
    // What a relay reads back is what was enqueued, with its order and which claim this is.
    expect(await claim(taskQueue)).toEqual([
      {
        id: kept,
        target,
        details: { trigger: 'push', requestedBy: 'webhook:d-1', requestId: kept, deliveryId: 'd-1' },
        routing: { taskQueue, timing: { quietWindowMs: 100 } },
        attempts: 0,
        sequence: Number((await row(kept)).seq),
        claim: 1,
        createdAt: expect.any(Date),
      },
    ]);
  });

  it('lets concurrent relays take disjoint rows without waiting on each other (SKIP LOCKED)', async () => {
    const target = await connectedRepo();
    const taskQueue = `q-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await enqueue(target, taskQueue));

    // One relay's claim still inside an open transaction (its rows locked), a second relay meanwhile.
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstClaimed: string[] = [];
    const first = uow.transaction(SYSTEM_SCOPE, async ({ scanRequestOutbox }) => {
      firstClaimed = (await scanRequestOutbox.claim({ taskQueue, limit: 5, leaseMs: 30_000 })).map(
        (r) => r.id,
      );
      await firstHolds;
    });
    while (firstClaimed.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // A claim that waited on the first one's locks (FOR UPDATE alone) fails here instead.
    const second = (
      await orm.em.fork().transactional(async (em) => {
        await em
          .getConnection()
          .execute(`set local lock_timeout = '1s'`, [], 'run', em.getTransactionContext());
        return new MikroOrmScanRequestOutbox(em).claim({ taskQueue, limit: 100, leaseMs: 30_000 });
      })
    ).map((r) => r.id);
    releaseFirst();
    await first;

    expect(firstClaimed).toEqual(ids.slice(0, 5)); // oldest first
    expect(second).toEqual(ids.slice(5));
    // Leased: nobody claims them again before the lease ends.
    expect(await claim(taskQueue)).toEqual([]);
  });

  it('hands many parallel claims each row once', async () => {
    const target = await connectedRepo();
    const taskQueue = `q-${randomUUID()}`;
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add(await enqueue(target, taskQueue));
    const claimed: string[] = [];
    for (let wave = 0; wave < 5 && claimed.length < ids.size; wave++) {
      const rounds = await Promise.all([0, 1, 2, 3, 4, 5].map(() => claim(taskQueue, 4)));
      claimed.push(...rounds.flat().map((r) => r.id));
    }
    expect(claimed).toHaveLength(ids.size);
    expect(new Set(claimed)).toEqual(ids);
  });

  it('keeps a held request for its enqueuer and a request for another queue for its own relay', async () => {
    const target = await connectedRepo();
    const taskQueue = `q-${randomUUID()}`;
    const held = await enqueue(target, taskQueue, 60_000);
    const elsewhere = await enqueue(target, `${taskQueue}-other`);
    expect(await claim(taskQueue)).toEqual([]);
    expect((await claim(taskQueue, 10, 30_000, [held])).map((r) => r.id)).toEqual([held]);
    expect((await claim(`${taskQueue}-other`)).map((r) => r.id)).toEqual([elsewhere]);
  });

  it('reschedules, releases, marks relayed, counts the backlog and prunes what was sent', async () => {
    const target = await connectedRepo();
    const taskQueue = `q-${randomUUID()}`;
    const [a, b, c] = [
      await enqueue(target, taskQueue),
      await enqueue(target, taskQueue),
      await enqueue(target, taskQueue),
    ];
    expect((await claim(taskQueue)).map((r) => r.id)).toEqual([a, b, c]);
    await uow.transaction(SYSTEM_SCOPE, async ({ scanRequestOutbox }) => {
      await scanRequestOutbox.reschedule(a!, '14 UNAVAILABLE', 0);
      await scanRequestOutbox.release([b!]);
      await scanRequestOutbox.reschedule(c!, '3 INVALID_ARGUMENT', 60_000);
    });
    // a and b are due again, in their order; c waits out its backoff.
    const again = await claim(taskQueue);
    expect(again.map((r) => [r.id, r.attempts])).toEqual([
      [a, 1],
      [b, 0],
    ]);
    expect(await row(a!)).toMatchObject({ last_error: '14 UNAVAILABLE' });
    const backlog = await uow.transaction(SYSTEM_SCOPE, (s) => s.scanRequestOutbox.backlog(taskQueue));
    expect(backlog.pending).toBe(3);

    await uow.transaction(SYSTEM_SCOPE, async ({ scanRequestOutbox }) => {
      await scanRequestOutbox.markRelayed(a!);
      await scanRequestOutbox.markRelayed(b!);
    });
    expect(await row(a!)).toMatchObject({ relayed_at: expect.anything(), last_error: null });
    expect((await uow.transaction(SYSTEM_SCOPE, (s) => s.scanRequestOutbox.backlog(taskQueue))).pending).toBe(
      1,
    );
    // A relayed request is never claimed again, and is pruned once old enough.
    await knex()('scan_request_outbox')
      .where({ id: a })
      .update({ relayed_at: knex().raw(`now() - interval '2 days'`) });
    const pruned = await uow.transaction(SYSTEM_SCOPE, (s) =>
      s.scanRequestOutbox.pruneRelayed(24 * 3600_000),
    );
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(await row(a!)).toBeUndefined();
    expect(await row(b!)).toBeDefined();
  });

  it('refuses a request for a disconnected repository and goes with the repository', async () => {
    const target = await connectedRepo();
    const taskQueue = `q-${randomUUID()}`;
    const id = await enqueue(target, taskQueue);
    await knex()('repositories').where({ id: target.repoId }).delete();
    expect(await row(id)).toBeUndefined();
    await expect(enqueue(target, taskQueue)).rejects.toMatchObject({ code: 'REPO_DISCONNECTED' });
  });

  it("hands out each org's oldest request first, then each one's next, in the order they came", async () => {
    const flooding = await connectedRepo();
    const other = await connectedRepo();
    const sameOrgOtherRepo = await connectedRepo(flooding.orgId);
    const taskQueue = `q-${randomUUID()}`;
    const floods: string[] = [];
    for (let i = 0; i < 6; i++) floods.push(await enqueue(i % 2 ? sameOrgOtherRepo : flooding, taskQueue));
    const others = [await enqueue(other, taskQueue), await enqueue(other, taskQueue)];

    const first = await claim(taskQueue, 5);

    expect(first.map((r) => r.id)).toEqual([floods[0], others[0], floods[1], others[1], floods[2]]);
    const sequences = first.filter((r) => r.target.orgId === flooding.orgId).map((r) => r.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect((await claim(taskQueue, 5)).map((r) => r.id)).toEqual(floods.slice(3));
  });

  it('renews a claimed request only for its latest claim, and tells a repository disabled since', async () => {
    const target = await connectedRepo();
    const taskQueue = `q-${randomUUID()}`;
    const id = await enqueue(target, taskQueue);
    const [mine] = await claim(taskQueue, 10, 1);
    expect(await outbox((o) => o.hold(id, mine!.claim, 30_000))).toBe('held');
    // Renewed: nobody claims it meanwhile.
    expect(await claim(taskQueue)).toEqual([]);

    // The lease runs out and another relay claims it: the first may no longer send it.
    await knex()('scan_request_outbox')
      .where({ id })
      .update({ next_attempt_at: knex().raw('now()') });
    const [theirs] = await claim(taskQueue);
    expect(theirs!.claim).toBe(mine!.claim + 1);
    expect(await outbox((o) => o.hold(id, mine!.claim, 30_000))).toBe('taken');
    expect(await outbox((o) => o.hold(id, theirs!.claim, 30_000))).toBe('held');

    await knex()('repositories')
      .where({ id: target.repoId })
      .update({ disabled_at: knex().raw('now()') });
    expect(await outbox((o) => o.hold(id, theirs!.claim, 30_000))).toBe('repo_disabled');

    await outbox((o) => o.markRelayed(id));
    expect(await outbox((o) => o.hold(id, theirs!.claim, 30_000))).toBe('taken');
  });

  it('keeps a given-up request out of claims and the backlog, tells its state, and prunes it later', async () => {
    const target = await connectedRepo();
    const taskQueue = `q-${randomUUID()}`;
    const [given, waiting, sent] = [
      await enqueue(target, taskQueue),
      await enqueue(target, taskQueue),
      await enqueue(target, taskQueue),
    ];
    await claim(taskQueue);
    const scanId = randomUUID();
    await outbox(async (o) => {
      await o.giveUp(given!, '3 INVALID_ARGUMENT: refused');
      await o.reschedule(waiting!, '3 INVALID_ARGUMENT: refused', 0);
      await o.markRelayed(sent!);
      await o.recordScan(sent!, scanId);
    });
    expect((await claim(taskQueue)).map((r) => r.id)).toEqual([waiting]);
    const backlog = await outbox((o) => o.backlog(taskQueue));
    expect(backlog).toMatchObject({ pending: 1, gaveUp: 1 });
    expect(backlog.oldestCreatedAt!.getTime()).toBe(new Date((await row(waiting!)).created_at).getTime());
    // A late reschedule (a relay that did not know) does not bring it back.
    await outbox((o) => o.reschedule(given!, 'late', 0));

    expect(await outbox((o) => o.status(target.repoId, given!))).toMatchObject({
      id: given,
      orgId: target.orgId,
      state: 'gave_up',
      attempts: 1,
      lastError: '3 INVALID_ARGUMENT: refused',
      scanId: null,
      gaveUpAt: expect.any(Date),
    });
    expect(await outbox((o) => o.status(target.repoId, sent!))).toMatchObject({ state: 'relayed', scanId });
    expect(await outbox((o) => o.status(target.repoId, waiting!))).toMatchObject({
      state: 'pending',
      attempts: 1,
    });
    // Only under its own repository.
    expect(await outbox((o) => o.status(randomUUID(), given!))).toBeNull();

    await knex()('scan_request_outbox')
      .where({ id: given })
      .update({ gave_up_at: knex().raw(`now() - interval '2 days'`) });
    await outbox((o) => o.pruneRelayed(24 * 3600_000));
    expect(await row(given!)).toBeUndefined();
    expect(await row(waiting!)).toBeDefined();
  });
});
