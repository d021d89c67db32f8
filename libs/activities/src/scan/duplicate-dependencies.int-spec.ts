import { createHash, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { toPurl, type OsvRecord, type ParsedDependency } from '@repoguard/domain';
import {
  createMikroOrmConfig,
  MikroOrmFindingRepository,
  MikroOrmManifestBlobStore,
  MikroOrmScanRepository,
  MikroOrmSnapshotRepository,
  MikroOrmVulnerabilityCache,
  OrganizationEntity,
  PiscinaManifestParserPool,
  RepositoryEntity,
} from '@repoguard/infrastructure';
import { createParseActivity } from './parse.activity';
import { createPersistActivity } from './persist.activity';

// A manifest that lists the same dependency twice used to fail every scan of its repository for
// ever: the findings upsert touched one row twice, which PostgreSQL refuses. On the real database.
describe('a scan of manifests that list a dependency twice', () => {
  let orm: MikroORM;
  let parserPool: PiscinaManifestParserPool;
  const knex = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 4 }),
    );
    parserPool = new PiscinaManifestParserPool({ threads: 1, deadlineMs: 30_000 });
  });
  afterAll(async () => {
    await parserPool?.close();
    await orm?.close(true);
  });

  async function connectedRepo() {
    const em = orm.em.fork();
    const suffix = randomUUID().slice(0, 12);
    const org = em.create(OrganizationEntity, { name: 'dup', slug: `dup-${suffix}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'dup',
      name: `dup-${suffix}`,
      defaultBranch: 'main',
    });
    await em.flush();
    return { orgId: org.id, repoId: repo.id, scanId: randomUUID() };
  }

  const stores = () => ({
    snapshots: new MikroOrmSnapshotRepository(orm.em),
    findings: new MikroOrmFindingRepository(orm.em),
    vulnerabilityCache: new MikroOrmVulnerabilityCache(orm.em),
    scans: new MikroOrmScanRepository(orm.em),
    blobStore: new MikroOrmManifestBlobStore(orm.em),
  });

  /** An advisory of its own (random id) affecting every version of the module below v9. */
  const advisoryFor = (ecosystem: string, name: string): OsvRecord => ({
    id: `RG-DUP-${randomUUID()}`,
    modified: '2026-01-01T00:00:00Z',
    summary: 'duplicate test advisory',
    affected: [
      {
        package: { ecosystem, name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.0.0' }] }],
      },
    ],
  });

  const findingRows = async (repoId: string) =>
    (await knex()('findings').where({ repo_id: repoId }).select('package_name', 'version', 'status')) as {
      package_name: string;
      version: string;
      status: string;
    }[];

  it('stores a snapshot given repeated dependencies with one row per identity', async () => {
    const { orgId, repoId } = await connectedRepo();
    const { snapshots } = stores();
    const dependency = (line: number, overrides: Partial<ParsedDependency> = {}) => {
      const d: ParsedDependency = {
        ecosystem: 'Go',
        name: 'example.com/dup',
        version: 'v1.0.0',
        scope: 'runtime',
        direct: false,
        manifestPath: 'go.mod',
        line,
        ...overrides,
      };
      return { ...d, purl: toPurl(d.ecosystem, d.name, d.version) };
    };
    // The store does not trust its caller to have removed them: any future parser may repeat one.
    const snapshotId = await snapshots.create({
      orgId,
      repoId,
      commitSha: createHash('sha1').update(randomUUID()).digest('hex'),
      manifests: [],
      dependencies: [
        dependency(3),
        dependency(7, { direct: true }),
        dependency(9, { version: 'v2.0.0' }),
        dependency(4, { manifestPath: 'tools/go.mod' }),
      ],
    });
    const stored = await snapshots.dependencies(snapshotId);
    expect(
      stored.map(({ name, version, manifestPath, line, direct }) => ({
        name,
        version,
        manifestPath,
        line,
        direct,
      })),
    ).toStrictEqual([
      // The first line kept; direct because one of the declarations was.
      { name: 'example.com/dup', version: 'v1.0.0', manifestPath: 'go.mod', line: 3, direct: true },
      { name: 'example.com/dup', version: 'v2.0.0', manifestPath: 'go.mod', line: 9, direct: false },
      { name: 'example.com/dup', version: 'v1.0.0', manifestPath: 'tools/go.mod', line: 4, direct: false },
    ]);
  });

  it('syncs repeated desired findings as one finding each, on every run', async () => {
    const { orgId, repoId } = await connectedRepo();
    const { findings } = stores();
    const finding = {
      ecosystem: 'Go' as const,
      packageName: 'example.com/dup',
      version: 'v1.0.0',
      manifestPath: 'go.mod',
      vulnerabilityId: `RG-DUP-${randomUUID()}`,
      aliases: [],
      severity: 'HIGH' as const,
      cvssScore: null,
      fixedVersions: ['v9.0.0'],
    };
    // A snapshot stored before parsers removed repeats still has them; its scans must succeed.
    const sync = () =>
      findings.sync({
        orgId,
        repoId,
        snapshotId: randomUUID(),
        findings: [finding, { ...finding }, { ...finding, version: 'v1.1.0' }],
        now: new Date(),
      });
    await expect(sync()).resolves.toStrictEqual({ opened: 2, stillOpen: 0, fixed: 0, withdrawn: 0 });
    await expect(sync()).resolves.toStrictEqual({ opened: 0, stillOpen: 2, fixed: 0, withdrawn: 0 });
    expect(await findingRows(repoId)).toHaveLength(2);
  });

  it.each([
    [
      'go.mod',
      'Go',
      'example.com/dup',
      'module example.com/app\n\nrequire example.com/dup v1.0.0\nrequire example.com/dup v1.0.0\n',
    ],
    [
      'gradle.lockfile',
      'Maven',
      'org.acme:dup',
      'org.acme:dup:1.0.0=runtimeClasspath\norg.acme:dup:1.0.0=compileClasspath\nempty=\n',
    ],
    [
      'composer.lock',
      'Packagist',
      'acme/dup',
      JSON.stringify({
        packages: [
          { name: 'acme/dup', version: '1.0.0' },
          { name: 'acme/dup', version: '1.0.0' },
        ],
      }),
    ],
  ])(
    'parses and persists a %s that repeats a dependency, once and again',
    async (path, ecosystem, name, text) => {
      const { orgId, repoId, scanId } = await connectedRepo();
      const deps = { ...stores(), parserPool, now: () => new Date() };
      const content = new TextEncoder().encode(text);
      // Content-addressed like git's blobs; a random prefix keeps this test's blob its own.
      const blobSha = createHash('sha1').update(`${randomUUID()}${text}`).digest('hex');
      await deps.blobStore.putAll([{ sha: blobSha, content }]);

      const parsed = await createParseActivity(deps)({
        scanId,
        orgId,
        repoId,
        commitSha: createHash('sha1').update(randomUUID()).digest('hex'),
        manifests: [{ path, blobSha, size: content.byteLength }],
      });
      expect(parsed).toMatchObject({ dependencies: 1, reused: false });

      const stored = await deps.snapshots.dependencies(parsed.snapshotId);
      const advisory = advisoryFor(ecosystem, name);
      await deps.vulnerabilityCache.upsert([advisory]);
      await deps.snapshots.replaceMatches(
        { id: parsed.snapshotId, orgId, repoId },
        stored.map((d) => ({ dependencyId: d.id, vulnerabilityId: advisory.id })),
      );

      const persist = createPersistActivity(deps);
      const step = { scanId, orgId, repoId, snapshotId: parsed.snapshotId };
      await expect(persist(step)).resolves.toStrictEqual({ open: 1, opened: 1, fixed: 0 });
      await expect(persist(step)).resolves.toStrictEqual({ open: 1, opened: 0, fixed: 0 });
      expect(await findingRows(repoId)).toStrictEqual([
        { package_name: name, version: ecosystem === 'Go' ? 'v1.0.0' : '1.0.0', status: 'open' },
      ]);
    },
  );
});
