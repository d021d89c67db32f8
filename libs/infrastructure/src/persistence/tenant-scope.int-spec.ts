import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig } from './mikro-orm.config';
import {
  ApiKeyEntity,
  FindingEntity,
  MembershipEntity,
  OrganizationEntity,
  RepositoryEntity,
} from './entities';
import { StatementTemplates } from './read-models/prepared-rows';
import { TENANT_ENTITIES, tenantScoped } from './tenant-scope';
import { MikroOrmOpenFindingHistory } from './stores/mikro-orm-open-finding-history';
import { MikroOrmOrgOverviewQueries } from './stores/mikro-orm-org-overview-queries';

// The guarantee the API's isolation rests on: a tenant-scoped entity manager cannot read another
// org's rows, even through a query that names no org at all.
describe('tenantScoped', () => {
  let orm: MikroORM;
  let mine: string;
  let theirs: string;
  const repoOf: Record<string, string> = {};

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 2 }),
    );
    const em = orm.em.fork();
    for (const label of ['mine', 'theirs']) {
      const org = em.create(OrganizationEntity, {
        name: label,
        slug: `${label}-${randomUUID().slice(0, 8)}`,
      });
      const repo = em.create(RepositoryEntity, {
        orgId: org.id,
        owner: 'acme',
        name: `${label}-repo`,
        defaultBranch: 'main',
      });
      em.create(FindingEntity, {
        orgId: org.id,
        repoId: repo.id,
        ecosystem: 'npm',
        packageName: 'lodash',
        version: '4.17.4',
        manifestPath: 'package-lock.json',
        vulnerabilityId: `GHSA-${label}`,
        aliases: [],
        severity: 'HIGH',
        fixedVersions: [],
        lastSnapshotId: randomUUID(),
        firstSeen: new Date(),
        lastSeen: new Date(),
      });
      em.create(ApiKeyEntity, {
        orgId: org.id,
        name: 'ci',
        role: 'viewer',
        tokenHash: randomUUID(),
        prefix: 'rg_key_x',
      });
      repoOf[label] = repo.id;
      if (label === 'mine') mine = org.id;
      else theirs = org.id;
    }
    await em.flush();
  });
  afterAll(async () => orm?.close(true));

  it('covers every entity that has an org_id column', () => {
    const withOrg = orm.getMetadata().getAll();
    const tenantNames = new Set(TENANT_ENTITIES.map((e) => e.name));
    const missing = Object.values(withOrg)
      .filter((meta) => meta.properties['orgId'] && !tenantNames.has(meta.className))
      .map((meta) => meta.className);
    expect(missing).toEqual([]);
  });

  it("returns only the scope's rows, whatever the query forgets", async () => {
    const em = tenantScoped(orm.em, [mine]);
    const repos = await em.find(RepositoryEntity, { name: { $in: ['mine-repo', 'theirs-repo'] } });
    expect(repos.map((r) => r.orgId)).toEqual([mine]);
    const findings = await em.find(FindingEntity, { vulnerabilityId: { $in: ['GHSA-mine', 'GHSA-theirs'] } });
    expect(findings.map((f) => f.orgId)).toEqual([mine]);
    expect(await em.count(ApiKeyEntity, { orgId: theirs })).toBe(0);
    expect(await em.findOne(OrganizationEntity, { id: theirs })).toBeNull();
    expect(await em.find(MembershipEntity, { orgId: theirs })).toEqual([]);
  });

  it('keeps the scope in forks and transactions', async () => {
    const em = tenantScoped(orm.em, [mine]);
    const seen = await em.transactional((tx) =>
      tx.fork().find(RepositoryEntity, { orgId: { $in: [mine, theirs] } }),
    );
    expect(seen.map((r) => r.orgId)).toEqual([mine]);
  });

  it('sees nothing with no orgs (the instance admin)', async () => {
    expect(await tenantScoped(orm.em, []).find(RepositoryEntity, {})).toEqual([]);
  });

  // The stores that write plain SQL (knex) are out of the filter's reach; each checks the org.
  it("keeps the overview's plain SQL to the scope: another org reads as an empty one", async () => {
    const overview = new MikroOrmOrgOverviewQueries(tenantScoped(orm.em, [mine]));
    expect(await overview.repositoriesByStatus(theirs)).toEqual({
      FAIL: 0,
      WARN: 0,
      OK: 0,
      PENDING: 0,
      ERROR: 0,
    });
    expect(await overview.openFindings(theirs, new Date())).toEqual({
      CRITICAL: 0,
      HIGH: 0,
      MEDIUM: 0,
      LOW: 0,
      UNKNOWN: 0,
    });
    expect(await overview.recentScans(theirs, 10)).toEqual([]);
    // The same store on the org in scope reads it: the check is not simply "nothing".
    expect((await overview.repositoriesByStatus(mine)).PENDING).toBe(1);
    expect((await overview.openFindings(mine, new Date())).HIGH).toBe(1);
    // Where units of work run their stores: a transaction of the scoped manager keeps the scope.
    const inTransaction = await tenantScoped(orm.em, [mine]).transactional(async (tx) => {
      const stores = new MikroOrmOrgOverviewQueries(tx);
      return [await stores.repositoriesByStatus(theirs), await stores.repositoriesByStatus(mine)];
    });
    expect(inTransaction.map((counts) => counts.PENDING)).toEqual([0, 1]);
  });

  it("keeps the daily counts' plain SQL to the scope: no reading or writing another org's", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const rows = (repoId: string) =>
      orm.em
        .getConnection()
        .execute<{ high: number }[]>('select high from open_finding_days where repo_id = ?', [repoId]);
    // The worker's persist step counts through the global manager itself: unscoped, no refusal.
    const system = new MikroOrmOpenFindingHistory(orm.em);
    await system.record(repoOf['theirs']!, new Date());
    expect(await rows(repoOf['theirs']!)).toEqual([{ high: 1 }]);

    const scoped = new MikroOrmOpenFindingHistory(tenantScoped(orm.em, [mine]));
    expect(await scoped.changes(theirs, today, today)).toEqual([]);
    await orm.em
      .getConnection()
      .execute('delete from open_finding_days where repo_id = ?', [repoOf['theirs']!]);
    await scoped.record(repoOf['theirs']!, new Date());
    expect(await rows(repoOf['theirs']!)).toEqual([]);
    await scoped.record(repoOf['mine']!, new Date());
    expect(await rows(repoOf['mine']!)).toEqual([{ high: 1 }]);
    expect(await scoped.changes(mine, today, today)).toEqual([
      { day: today, counts: { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0 } },
    ]);
  });

  it('never lets a statement built in one scope answer another', async () => {
    const templates = new StatementTemplates();
    const orgOfRepo = (orgIds: string[], name: string) =>
      templates.rows<{ org_id: string }>(
        tenantScoped(orm.em, orgIds),
        'repo-by-name',
        [name],
        async ([value]) => {
          const query = tenantScoped(orm.em, orgIds)
            .createQueryBuilder(RepositoryEntity)
            .select('orgId')
            .where({ name: value as string });
          await query.applyFilters();
          return { query: query.getKnexQuery() };
        },
      );
    expect(await orgOfRepo([mine], 'mine-repo')).toEqual([{ org_id: mine }]);
    expect(await orgOfRepo([mine], 'theirs-repo')).toEqual([]);
    expect(await orgOfRepo([theirs], 'theirs-repo')).toEqual([{ org_id: theirs }]);
    expect(await orgOfRepo([theirs], 'mine-repo')).toEqual([]);
  });

  it('builds again each time a statement turns its value into another', async () => {
    const templates = new StatementTemplates();
    const named = (prefix: string) =>
      templates.rows<{ name: string }>(
        tenantScoped(orm.em, [mine, theirs]),
        'repo-by-prefix',
        [prefix],
        async ([value]) => {
          const query = tenantScoped(orm.em, [mine, theirs])
            .createQueryBuilder(RepositoryEntity)
            .select('name')
            .where({ name: { $like: `${String(value)}%` } })
            .orderBy({ name: 'asc' });
          await query.applyFilters();
          return { query: query.getKnexQuery() };
        },
      );
    expect(await named('mine')).toEqual([{ name: 'mine-repo' }]);
    expect(await named('theirs')).toEqual([{ name: 'theirs-repo' }]);
  });
});
