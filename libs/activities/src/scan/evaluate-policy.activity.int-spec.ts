import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  createMikroOrmConfig,
  MikroOrmFindingRepository,
  MikroOrmPolicyRepository,
  MikroOrmScanRepository,
  MikroOrmSnapshotRepository,
  OrganizationEntity,
  RepositoryEntity,
} from '@repoguard/infrastructure';
import { createEvaluatePolicyActivity } from './evaluate-policy.activity';

// A retried evaluatePolicy (its first attempt committed, then its completion was lost) must not
// store a second verdict for the scan. On the real database, whose unique index says so.
describe('evaluatePolicy, retried', () => {
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

  it('leaves one policy evaluation for the scan', async () => {
    const em = orm.em.fork();
    const suffix = randomUUID().slice(0, 12);
    const org = em.create(OrganizationEntity, { name: 'eval-retry', slug: `eval-retry-${suffix}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'eval',
      name: `retry-${suffix}`,
      defaultBranch: 'main',
    });
    await em.flush();
    const snapshots = new MikroOrmSnapshotRepository(orm.em);
    const snapshotId = await snapshots.create({
      orgId: org.id,
      repoId: repo.id,
      commitSha: 'a'.repeat(40),
      manifests: [],
      dependencies: [],
    });
    const scans = new MikroOrmScanRepository(orm.em);
    const scanId = randomUUID();
    await scans.start({
      scanId,
      orgId: org.id,
      repoId: repo.id,
      workflowId: `repo-scan:${repo.id}`,
      runId: randomUUID(),
      trigger: 'api',
      requestedBy: 'test',
      ref: null,
    });
    const evaluatePolicy = createEvaluatePolicyActivity({
      policies: new MikroOrmPolicyRepository(orm.em),
      findings: new MikroOrmFindingRepository(orm.em),
      snapshots,
      scans,
      now: () => new Date(),
    });
    const input = { scanId, orgId: org.id, repoId: repo.id, snapshotId };

    const first = await evaluatePolicy(input);
    const retried = await evaluatePolicy(input);

    expect(retried.status).toBe(first.status);
    const rows = (await knex()('policy_evaluations').where({ scan_id: scanId }).select('id')) as unknown[];
    expect(rows).toHaveLength(1);
    expect(await knex()('scans').where({ id: scanId }).first('status')).toEqual({ status: 'COMPLETED' });
  });
});
