import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { TenantScope } from '@repoguard/domain';
import { OrganizationEntity, RepositoryEntity } from '../entities';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmUnitOfWork } from '../stores/mikro-orm-unit-of-work';
import { writeForConnectedRepo } from './connected-repo-guard';
import { MikroOrmFindingRepository } from './mikro-orm-finding-repository';
import { MikroOrmScanRepository } from './mikro-orm-scan-repository';
import { MikroOrmSnapshotRepository } from './mikro-orm-snapshot-repository';

// A scan step racing a purge, both ways round, on the real database: the purge locks the
// repository row before deleting, the steps' writes hold it while they write.
describe('scan writes racing a purge', () => {
  let orm: MikroORM;
  const knex = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 6 }),
    );
  });
  afterAll(async () => orm?.close(true));

  async function connectedRepo() {
    const em = orm.em.fork();
    const org = em.create(OrganizationEntity, { name: 'race', slug: `race-${randomUUID().slice(0, 12)}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'race',
      name: randomUUID(),
      defaultBranch: 'main',
    });
    await em.flush();
    return { orgId: org.id, repoId: repo.id, scope: { orgIds: [org.id] } as TenantScope };
  }

  const rowsOf = async (repoId: string) => {
    const counts = await Promise.all(
      ['scans', 'findings', 'dependency_snapshots', 'policy_evaluations'].map(async (table) => {
        const [row] = await knex()(table).where({ repo_id: repoId }).count({ n: '*' });
        return Number(row!.n);
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  };

  /** Resolves once a session of this database waits on a row lock in a statement matching `pattern`. */
  async function blockedOn(pattern: string): Promise<void> {
    for (;;) {
      const waiting = await knex()
        .from('pg_stat_activity')
        .where({ datname: knex().raw('current_database()'), wait_event_type: 'Lock' })
        .andWhereILike('query', pattern)
        .count({ n: '*' });
      if (Number(waiting[0]!.n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const purge = (
    uow: MikroOrmUnitOfWork,
    scope: TenantScope,
    repoId: string,
    beforeCommit = async () => {},
  ) =>
    uow.transaction(scope, async ({ repositories }) => {
      const repo = (await repositories.lock(repoId))!;
      await beforeCommit();
      await repositories.purgeHistory(repo);
      await repositories.remove(repo);
    });

  it('a write that arrives while the purge holds the row waits, then writes nothing', async () => {
    const { orgId, repoId, scope } = await connectedRepo();
    const uow = new MikroOrmUnitOfWork(orm.em);
    const findings = new MikroOrmFindingRepository(orm.em);
    let late: Promise<unknown> | undefined;
    await purge(uow, scope, repoId, async () => {
      late = findings
        .sync({
          orgId,
          repoId,
          snapshotId: randomUUID(),
          now: new Date(),
          findings: [
            {
              ecosystem: 'npm',
              packageName: 'left-pad',
              version: '1.0.0',
              manifestPath: 'package-lock.json',
              vulnerabilityId: 'GHSA-race',
              aliases: [],
              severity: 'HIGH',
              cvssScore: null,
              fixedVersions: [],
            },
          ],
        })
        .catch((error: unknown) => error);
      await blockedOn('%for key share%');
    });
    await expect(late).resolves.toMatchObject({ code: 'REPO_DISCONNECTED' });
    expect(await rowsOf(repoId)).toBe(0);
  });

  it('a purge that arrives while a write holds the row waits for it, then deletes what it wrote', async () => {
    const { orgId, repoId, scope } = await connectedRepo();
    const uow = new MikroOrmUnitOfWork(orm.em);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let purged: Promise<void> | undefined;
    await writeForConnectedRepo(orm.em.fork(), repoId, async (trx) => {
      await trx('dependency_snapshots').insert({
        id: randomUUID(),
        org_id: orgId,
        repo_id: repoId,
        commit_sha: 'a'.repeat(40),
        manifests: JSON.stringify([]),
      });
      purged = purge(uow, scope, repoId);
      await blockedOn('%for update%');
      release();
      await held;
    });
    await purged;
    expect(await rowsOf(repoId)).toBe(0);
    // And every later write of a step refuses.
    const scans = new MikroOrmScanRepository(orm.em);
    const snapshots = new MikroOrmSnapshotRepository(orm.em);
    const refused = { code: 'REPO_DISCONNECTED' };
    await expect(
      scans.start({
        scanId: randomUUID(),
        orgId,
        repoId,
        workflowId: 'w',
        runId: 'r',
        trigger: 'api',
        requestedBy: null,
        ref: null,
      }),
    ).rejects.toMatchObject(refused);
    await expect(
      snapshots.create({ orgId, repoId, commitSha: 'b'.repeat(40), manifests: [], dependencies: [] }),
    ).rejects.toMatchObject(refused);
    await expect(snapshots.replaceMatches({ id: randomUUID(), orgId, repoId }, [])).rejects.toMatchObject(
      refused,
    );
    await expect(
      scans.saveEvaluation({
        orgId,
        repoId,
        snapshotId: randomUUID(),
        scanId: randomUUID(),
        policyVersion: null,
        status: 'OK',
        reasons: [],
      }),
    ).rejects.toMatchObject(refused);
    expect(await rowsOf(repoId)).toBe(0);
  });
});
