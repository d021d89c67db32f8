import { randomUUID } from 'node:crypto';
import type { ParsedDependency } from '@repoguard/domain';
import { ormPerSuite, storedRepository } from '../stored-repository.test-helper';
import { MikroOrmSnapshotRepository } from './mikro-orm-snapshot-repository';
import { backfillSnapshotPackageKeys } from './snapshot-package-keys';

// Which snapshots hold which (ecosystem, normalised name): what re-match targets are found by.
describe('snapshot package keys', () => {
  const orm = ormPerSuite(3);

  const dependency = (
    ecosystem: ParsedDependency['ecosystem'],
    name: string,
    manifestPath: string,
  ): ParsedDependency & { purl: string } => ({
    ecosystem,
    name,
    version: '1.0.0',
    scope: 'runtime',
    direct: true,
    manifestPath,
    purl: `pkg:generic/${encodeURIComponent(name)}@1.0.0`,
  });

  // Spellings that meet on one key in their ecosystem, and names whose case is their own.
  const DEPENDENCIES = [
    dependency('PyPI', 'Foo_Bar', 'a/requirements.txt'),
    dependency('PyPI', 'foo.bar', 'b/requirements.txt'),
    dependency('PyPI', 'foo-bar', 'c/requirements.txt'),
    dependency('npm', '@Scope/Pkg', 'package-lock.json'),
    dependency('npm', '@scope/pkg', 'web/package-lock.json'),
    dependency('Go', 'github.com/Acme/Tool', 'go.mod'),
    dependency('Maven', 'org.acme:core:1.2.0', 'pom.xml'),
    dependency('Maven', 'org.acme/core', 'build.gradle'),
    dependency('Packagist', 'Acme/Lib', 'composer.lock'),
  ];
  const EXPECTED_KEYS = [
    { ecosystem: 'Go', name_key: 'github.com/Acme/Tool' },
    { ecosystem: 'Maven', name_key: 'org.acme:core' },
    { ecosystem: 'Packagist', name_key: 'acme/lib' },
    { ecosystem: 'PyPI', name_key: 'foo-bar' },
    { ecosystem: 'npm', name_key: '@Scope/Pkg' },
    { ecosystem: 'npm', name_key: '@scope/pkg' },
  ];

  async function storedSnapshot(dependencies: (ParsedDependency & { purl: string })[]) {
    const { orgId, repoId } = await storedRepository(orm(), 'pkgkey');
    const id = await new MikroOrmSnapshotRepository(orm().em).create({
      orgId,
      repoId,
      commitSha: randomUUID().replace(/-/g, '').padEnd(40, '0'),
      manifests: [],
      dependencies,
    });
    return { id, orgId, repoId };
  }

  const keysOf = async (snapshotId: string) =>
    (await orm()
      .em.getKnex()('snapshot_package_keys')
      .select('ecosystem', 'name_key')
      .where({ snapshot_id: snapshotId })
      .orderBy(['ecosystem', 'name_key'])) as { ecosystem: string; name_key: string }[];

  it('are written with the snapshot: one per distinct normalised name in its ecosystem', async () => {
    const { id } = await storedSnapshot(DEPENDENCIES);
    expect(await keysOf(id)).toStrictEqual(EXPECTED_KEYS);
  });

  it('go with their snapshot', async () => {
    const { id } = await storedSnapshot(DEPENDENCIES);
    await orm().em.getKnex()('dependency_snapshots').where({ id }).delete();
    expect(await keysOf(id)).toStrictEqual([]);
  });

  it('are filled in by the backfill for snapshots written without them, as the store writes them', async () => {
    const written = await storedSnapshot(DEPENDENCIES);
    const bare = await storedSnapshot(DEPENDENCIES);
    await orm().em.getKnex()('snapshot_package_keys').where({ snapshot_id: bare.id }).delete();
    const empty = await storedSnapshot([]);

    const execute = (sql: string, params: unknown[]) => orm().em.getConnection().execute(sql, params);
    // A batch smaller than the snapshots stored, so the backfill pages.
    await backfillSnapshotPackageKeys(execute, 2);

    expect(await keysOf(bare.id)).toStrictEqual(EXPECTED_KEYS);
    expect(await keysOf(written.id)).toStrictEqual(EXPECTED_KEYS);
    expect(await keysOf(empty.id)).toStrictEqual([]);
  });
});
