import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { OrganizationEntity, RepositoryEntity } from '../entities';
import { SqlServedScanRequests } from './sql-served-scan-requests';

// Which re-match requests a scan has served, on the real database: a scan of the request's
// repository, of any trigger, that began after the request and has ended.
describe('SqlServedScanRequests', () => {
  let orm: MikroORM;
  let served: SqlServedScanRequests;
  const knex = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 4 }),
    );
    served = new SqlServedScanRequests(orm.em);
  });
  afterAll(async () => {
    await orm?.close(true);
  });

  async function connectedRepo() {
    const em = orm.em.fork();
    const suffix = randomUUID().slice(0, 12);
    const org = em.create(OrganizationEntity, { name: 'served', slug: `served-${suffix}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'o',
      name: suffix,
      defaultBranch: 'main',
    });
    await em.flush();
    return { orgId: org.id, repoId: repo.id };
  }
  /** A re-match request, made `agoSeconds` ago by the database's clock. */
  const request = async (repo: { orgId: string; repoId: string }, agoSeconds: number) => {
    const id = randomUUID();
    await knex()('scan_request_outbox').insert({
      id,
      org_id: repo.orgId,
      repo_id: repo.repoId,
      task_queue: 'q',
      request: JSON.stringify({ trigger: 'advisory', requestId: id }),
      created_at: knex().raw(`now() - ? * interval '1 second'`, [agoSeconds]),
    });
    return id;
  };
  /** A scan whose row was written `agoSeconds` ago and that began `startedAgoSeconds` ago. */
  const scan = async (
    repo: { orgId: string; repoId: string },
    trigger: string,
    status: string,
    agoSeconds: number,
    startedAgoSeconds: number | null = agoSeconds,
  ) =>
    knex()('scans').insert({
      id: randomUUID(),
      org_id: repo.orgId,
      repo_id: repo.repoId,
      workflow_id: `repo-scan:${repo.repoId}`,
      run_id: randomUUID(),
      trigger,
      status,
      phase_timings: JSON.stringify({}),
      counts: JSON.stringify({}),
      created_at: knex().raw(`now() - ? * interval '1 second'`, [agoSeconds]),
      started_at:
        startedAgoSeconds === null
          ? null
          : knex().raw(`now() - ? * interval '1 second'`, [startedAgoSeconds]),
    });

  it('names the requests whose repository has a scan begun since and ended, whatever its trigger', async () => {
    const [rematched, pushed, failed, superseded, queuedBefore] = await Promise.all(
      [1, 2, 3, 4, 5].map(() => connectedRepo()),
    );
    const ids = {
      rematched: await request(rematched!, 60),
      pushed: await request(pushed!, 60),
      failed: await request(failed!, 60),
      superseded: await request(superseded!, 60),
      queuedBefore: await request(queuedBefore!, 60),
    };
    await scan(rematched!, 'advisory', 'COMPLETED', 30);
    // Folded into a push's scan that began after it.
    await scan(pushed!, 'push', 'COMPLETED', 30);
    await scan(failed!, 'advisory', 'FAILED', 30);
    await scan(superseded!, 'advisory', 'SUPERSEDED', 30);
    // An API scan whose row the API queued before the request, begun after it: the request joined it.
    await scan(queuedBefore!, 'api', 'COMPLETED', 90, 30);
    expect(await served.served(Object.values(ids))).toEqual(new Set(Object.values(ids)));
  });

  it('does not name a request whose scan still runs, whose only scans began well before it, or that has none', async () => {
    const [running, older, none, other, elsewhere] = await Promise.all(
      [1, 2, 3, 4, 5].map(() => connectedRepo()),
    );
    const ids = [
      await request(running!, 60),
      await request(older!, 60),
      await request(none!, 60),
      await request(other!, 60),
    ];
    await scan(running!, 'advisory', 'MATCHING', 30);
    // Ended, but began before the request (the push just before it, by a second): it did not serve it.
    await scan(older!, 'push', 'COMPLETED', 61);
    // Another repository's scan serves nothing here.
    await scan(elsewhere!, 'advisory', 'COMPLETED', 10);
    expect(await served.served(ids)).toEqual(new Set());
    expect(await served.served([])).toEqual(new Set());
    expect(await served.served([randomUUID()])).toEqual(new Set());
  });
});
