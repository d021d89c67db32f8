import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig } from '@repoguard/infrastructure';
import { createEvaluatePolicyActivity } from './evaluate-policy.activity';
import { connectedRepo, scanStepDeps, startedScan } from './rematch.test-fixtures';

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
    const d = scanStepDeps(orm, () => new Date());
    const { orgId, repoId } = await connectedRepo(orm);
    const snapshotId = await d.snapshots.create({
      orgId,
      repoId,
      commitSha: 'a'.repeat(40),
      manifests: [],
      dependencies: [],
    });
    const scanId = await startedScan(d, { orgId, repoId });
    const evaluatePolicy = createEvaluatePolicyActivity(d);
    const input = { scanId, orgId, repoId, snapshotId };

    const first = await evaluatePolicy(input);
    const retried = await evaluatePolicy(input);

    expect(retried.status).toBe(first.status);
    const rows = (await knex()('policy_evaluations').where({ scan_id: scanId }).select('id')) as unknown[];
    expect(rows).toHaveLength(1);
    expect(await knex()('scans').where({ id: scanId }).first('status')).toEqual({ status: 'COMPLETED' });
  });
});
