import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { FindingEntity, OrganizationEntity, RepositoryEntity } from '../entities';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmUnitOfWork } from './mikro-orm-unit-of-work';

// What re-judging a repository's status relies on from the stores, on the real database: a triage
// reads the finding again once it holds the repository's lock, and a repository that could not be
// judged steps back in the line of due ones.
describe('repository status re-evaluation stores', () => {
  let orm: MikroORM;
  let uow: MikroOrmUnitOfWork;
  const knex = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 4 }),
    );
    uow = new MikroOrmUnitOfWork(orm.em);
  });
  afterAll(async () => orm?.close(true));

  async function repoWithFinding(statusReevaluateAt: Date | null = null) {
    const em = orm.em.fork();
    const suffix = randomUUID().slice(0, 12);
    const org = em.create(OrganizationEntity, { name: 'reeval', slug: `reeval-${suffix}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'reeval',
      name: suffix,
      defaultBranch: 'main',
      statusReevaluateAt,
    });
    const finding = em.create(FindingEntity, {
      orgId: org.id,
      repoId: repo.id,
      ecosystem: 'npm',
      packageName: 'lodash',
      version: '4.17.4',
      manifestPath: 'package-lock.json',
      vulnerabilityId: `GHSA-${suffix}`,
      aliases: [],
      severity: 'HIGH',
      fixedVersions: [],
      lastSnapshotId: randomUUID(),
      firstSeen: new Date(),
      lastSeen: new Date(),
    });
    await em.flush();
    return { orgId: org.id, repoId: repo.id, findingId: finding.id };
  }

  it('reads a finding as the database has it, though the unit of work read it before', async () => {
    const { orgId, findingId } = await repoWithFinding();
    const seen = await uow.transaction({ orgIds: [orgId] }, async ({ findingTriage }) => {
      const before = await findingTriage.get(findingId);
      // A scan's findings sync, committing while the triage waits for the repository's lock.
      await knex()('findings').where({ id: findingId }).update({ status: 'fixed' });
      const after = await findingTriage.get(findingId);
      return [before?.status, after?.status];
    });
    expect(seen).toEqual(['open', 'fixed']);
  });

  it('postpones a repository only while it is still due', async () => {
    const now = new Date('2026-06-01T12:00:00.000Z');
    const until = new Date('2026-06-01T12:01:00.000Z');
    const due = await repoWithFinding(new Date('2026-06-01T11:00:00.000Z'));
    const judged = await repoWithFinding(new Date('2026-06-02T00:00:00.000Z'));
    const postpone = (repo: { orgId: string; repoId: string }) =>
      uow.transaction({ orgIds: [repo.orgId] }, ({ repositories }) =>
        repositories.postponeReevaluation(repo.repoId, now, until),
      );
    expect(await postpone(due)).toBe(true);
    expect(await postpone(judged)).toBe(false);
    // Plain queries get timestamps back as text.
    const at = async ({ repoId }: { repoId: string }) => {
      const row = (await knex()('repositories').where({ id: repoId }).first('status_reevaluate_at')) as {
        status_reevaluate_at: string;
      };
      return new Date(row.status_reevaluate_at);
    };
    expect(await at(due)).toEqual(until);
    expect(await at(judged)).toEqual(new Date('2026-06-02T00:00:00.000Z'));
  });
});
