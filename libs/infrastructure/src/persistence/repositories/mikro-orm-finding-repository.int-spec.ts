import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { DesiredFinding } from '@repoguard/domain';
import { OrganizationEntity, RepositoryEntity } from '../entities';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmFindingRepository } from './mikro-orm-finding-repository';

// A finding the new snapshot did not see is closed as fixed only where the snapshot could tell:
// not in a manifest it could not read, and not at all when it read no manifest.
describe('MikroOrmFindingRepository.sync with unread manifests', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 2 }),
    );
  });
  afterAll(async () => orm?.close(true));

  const finding = (packageName: string, manifestPath: string): DesiredFinding => ({
    ecosystem: 'npm',
    packageName,
    version: '1.0.0',
    manifestPath,
    vulnerabilityId: `RG-UNREAD-${packageName}`,
    aliases: [],
    severity: 'CRITICAL',
    cvssScore: null,
    fixedVersions: ['2.0.0'],
  });
  const web = finding('rg-unread-web', 'web/package-lock.json');
  const api = finding('rg-unread-api', 'api/package-lock.json');

  async function repoWithTwoFindings() {
    const em = orm.em.fork();
    const org = em.create(OrganizationEntity, {
      name: 'unread',
      slug: `unread-${randomUUID().slice(0, 12)}`,
    });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'unread',
      name: randomUUID(),
      defaultBranch: 'main',
    });
    await em.flush();
    const findings = new MikroOrmFindingRepository(orm.em);
    const ids = { orgId: org.id, repoId: repo.id };
    await findings.sync({ ...ids, snapshotId: randomUUID(), findings: [web, api], now: new Date() });
    const statuses = async () =>
      Object.fromEntries(
        (
          await orm.em
            .getKnex()('findings')
            .where({ repo_id: repo.id })
            .select<{ package_name: string; status: string }[]>('package_name', 'status')
        ).map((r) => [r.package_name, r.status]),
      );
    return { findings, ids, statuses };
  }

  it('keeps open what an unread manifest held, and closes what a read one no longer has', async () => {
    const { findings, ids, statuses } = await repoWithTwoFindings();
    const result = await findings.sync({
      ...ids,
      snapshotId: randomUUID(),
      findings: [],
      unreadManifests: { all: false, paths: ['web/package-lock.json'] },
      now: new Date(),
    });
    expect(result).toMatchObject({ fixed: 1, stillOpen: 0, opened: 0 });
    expect(await statuses()).toEqual({ 'rg-unread-web': 'open', 'rg-unread-api': 'fixed' });
  });

  it('closes nothing when no manifest was read at all', async () => {
    const { findings, ids, statuses } = await repoWithTwoFindings();
    const result = await findings.sync({
      ...ids,
      snapshotId: randomUUID(),
      findings: [],
      unreadManifests: { all: true, paths: [] },
      now: new Date(),
    });
    expect(result).toMatchObject({ fixed: 0 });
    expect(await statuses()).toEqual({ 'rg-unread-web': 'open', 'rg-unread-api': 'open' });
  });

  it('still closes a finding whose advisory was withdrawn, even in an unread manifest', async () => {
    const { findings, ids, statuses } = await repoWithTwoFindings();
    const result = await findings.sync({
      ...ids,
      snapshotId: randomUUID(),
      findings: [api],
      withdrawnAdvisories: [web.vulnerabilityId],
      unreadManifests: { all: false, paths: ['web/package-lock.json'] },
      now: new Date(),
    });
    expect(result).toMatchObject({ fixed: 0, withdrawn: 1, stillOpen: 1 });
    expect(await statuses()).toEqual({ 'rg-unread-web': 'withdrawn', 'rg-unread-api': 'open' });
  });
});
