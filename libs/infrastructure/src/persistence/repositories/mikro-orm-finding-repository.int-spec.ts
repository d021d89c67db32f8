import { randomUUID } from 'node:crypto';
import type { DesiredFinding } from '@repoguard/domain';
import { ormPerSuite, storedRepository } from '../stored-repository.test-helper';
import { MikroOrmFindingRepository } from './mikro-orm-finding-repository';

// A finding the new snapshot did not see is closed as fixed only where the snapshot could tell:
// not in a manifest it could not read, and not at all when it read no manifest.
describe('MikroOrmFindingRepository.sync with unread manifests', () => {
  const orm = ormPerSuite();

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
    const ids = await storedRepository(orm(), 'unread');
    const findings = new MikroOrmFindingRepository(orm().em);
    await findings.sync({ ...ids, snapshotId: randomUUID(), findings: [web, api], now: new Date() });
    const statuses = async () =>
      Object.fromEntries(
        (
          await orm()
            .em.getKnex()('findings')
            .where({ repo_id: ids.repoId })
            .select<{ package_name: string; status: string }[]>('package_name', 'status')
        ).map((r) => [r.package_name, r.status]),
      );
    // The next scan's sync: a new snapshot that has `findings` and could not read `unreadManifests`.
    const rescan = (
      next: Pick<
        Parameters<MikroOrmFindingRepository['sync']>[0],
        'findings' | 'withdrawnAdvisories' | 'unreadManifests'
      >,
    ) => findings.sync({ ...ids, snapshotId: randomUUID(), now: new Date(), ...next });
    return { rescan, statuses };
  }

  it('keeps open what an unread manifest held, and closes what a read one no longer has', async () => {
    const { rescan, statuses } = await repoWithTwoFindings();
    const result = await rescan({
      findings: [],
      unreadManifests: { all: false, paths: ['web/package-lock.json'] },
    });
    expect(result).toMatchObject({ fixed: 1, stillOpen: 0, opened: 0 });
    expect(await statuses()).toEqual({ 'rg-unread-web': 'open', 'rg-unread-api': 'fixed' });
  });

  it('closes nothing when no manifest was read at all', async () => {
    const { rescan, statuses } = await repoWithTwoFindings();
    const result = await rescan({
      findings: [],
      unreadManifests: { all: true, paths: [] },
    });
    expect(result).toMatchObject({ fixed: 0 });
    expect(await statuses()).toEqual({ 'rg-unread-web': 'open', 'rg-unread-api': 'open' });
  });

  it('still closes a finding whose advisory was withdrawn, even in an unread manifest', async () => {
    const { rescan, statuses } = await repoWithTwoFindings();
    const result = await rescan({
      findings: [api],
      withdrawnAdvisories: [web.vulnerabilityId],
      unreadManifests: { all: false, paths: ['web/package-lock.json'] },
    });
    expect(result).toMatchObject({ fixed: 0, withdrawn: 1, stillOpen: 1 });
    expect(await statuses()).toEqual({ 'rg-unread-web': 'withdrawn', 'rg-unread-api': 'open' });
  });
});
