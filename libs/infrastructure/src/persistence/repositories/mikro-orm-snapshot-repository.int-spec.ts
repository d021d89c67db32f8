import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { ParsedDependency } from '@repoguard/domain';
import { OrganizationEntity, RepositoryEntity } from '../entities';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmSnapshotRepository } from './mikro-orm-snapshot-repository';

// A snapshot's dependencies with what the lock file said of them (hashes, licences, edges), written
// and read back on the real database. Each test has an org, repository and commit of its own.
describe('MikroOrmSnapshotRepository: lock-file metadata', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 3 }),
    );
  });
  afterAll(async () => orm?.close(true));

  async function snapshotOf(dependencies: (ParsedDependency & { purl: string })[]) {
    const em = orm.em.fork();
    const suffix = randomUUID().slice(0, 12);
    const org = em.create(OrganizationEntity, { name: `meta ${suffix}`, slug: `meta-${suffix}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'acme',
      name: suffix,
      defaultBranch: 'main',
    });
    await em.flush();
    const snapshots = new MikroOrmSnapshotRepository(orm.em);
    const id = await snapshots.create({
      orgId: org.id,
      repoId: repo.id,
      commitSha: randomUUID().replace(/-/g, '').padEnd(40, '0'),
      manifests: [],
      dependencies,
    });
    return { id, snapshots };
  }

  const npm = (name: string, version: string, extra: Partial<ParsedDependency> = {}) => ({
    ecosystem: 'npm' as const,
    name,
    version,
    scope: 'runtime' as const,
    direct: false,
    manifestPath: 'package-lock.json',
    purl: `pkg:npm/${name}@${version}`,
    ...extra,
  });

  it('stores hashes, licences and edges, and reads them back on the stored dependency', async () => {
    const express = npm('express', '4.18.2', {
      direct: true,
      line: 93,
      hashes: [{ algorithm: 'SHA-512', content: 'ab'.repeat(64) }],
      licenses: ['MIT'],
      dependsOn: [
        { name: 'accepts', version: '1.3.8' },
        { name: 'debug', version: '2.6.9' },
      ],
    });
    const accepts = npm('accepts', '1.3.8', { dependsOn: [] });
    const debug = npm('debug', '2.6.9');
    const { id, snapshots } = await snapshotOf([express, accepts, debug]);

    const stored = await snapshots.dependencies(id);
    const byName = Object.fromEntries(stored.map(({ id: _id, ...d }) => [d.name, d]));
    expect(byName['express']).toStrictEqual(express);
    // A package with no dependencies keeps its empty graph; one the lock said nothing of has none.
    expect(byName['accepts']).toStrictEqual(accepts);
    expect(byName['debug']).toStrictEqual(debug);

    const columns = await orm.em
      .getKnex()('dependencies')
      .select('name', 'hashes', 'licenses', 'depends_on')
      .where({ snapshot_id: id })
      .orderBy('name');
    // Absent is NULL, never an empty list (except an empty graph, which says something).
    expect(columns).toStrictEqual([
      { name: 'accepts', hashes: null, licenses: null, depends_on: [] },
      { name: 'debug', hashes: null, licenses: null, depends_on: null },
      {
        name: 'express',
        hashes: express.hashes,
        licenses: ['MIT'],
        depends_on: express.dependsOn,
      },
    ]);
  });

  it('merges repeats it is given into one row with the union of their metadata', async () => {
    const first = npm('ms', '2.1.3', { hashes: [{ algorithm: 'SHA-1', content: 'a'.repeat(40) }] });
    const second = npm('ms', '2.1.3', { licenses: ['MIT'], dependsOn: [] });
    const { id, snapshots } = await snapshotOf([first, second]);
    const [only, ...rest] = await snapshots.dependencies(id);
    expect(rest).toStrictEqual([]);
    expect(only).toMatchObject({ hashes: first.hashes, licenses: ['MIT'], dependsOn: [] });
  });
});
