import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  NO_ADVISORY_DIAGNOSTICS,
  type AdvisoryDiagnostic,
  type AdvisoryDiagnosticsSummary,
  type DesiredFinding,
} from '@repoguard/domain';
import { OrganizationEntity, RepositoryEntity } from '../entities';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmFindingRepository } from '../repositories/mikro-orm-finding-repository';
import { MikroOrmFindingQueries } from './mikro-orm-finding-queries';

// Advisory diagnostics travel with the finding: written by the sync, updated by the next one, and
// read back by the page the API lists.
describe('advisory diagnostics on stored findings', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 2 }),
    );
  });
  afterAll(async () => orm?.close(true));

  const diagnostic = (rule: AdvisoryDiagnostic['rule'], readAs: string[]): AdvisoryDiagnostic => ({
    advisoryId: 'GHSA-r683-j2x4-v87g',
    ecosystem: 'npm',
    package: 'node-fetch',
    rangeType: 'ECOSYSTEM',
    code: 'UNPARSABLE_RANGE_EVENT',
    event: 'introduced',
    value: '1.0',
    rule,
    readAs,
  });
  const summary = (d: AdvisoryDiagnostic, total = 1): AdvisoryDiagnosticsSummary => ({
    total,
    advisories: 1,
    byRule: { [d.rule]: total },
    sample: [d],
  });

  it('writes, updates and lists them; a finding without any lists none', async () => {
    const em = orm.em.fork();
    const org = em.create(OrganizationEntity, { name: 'diag', slug: `diag-${randomUUID().slice(0, 12)}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'diag',
      name: randomUUID(),
      defaultBranch: 'main',
    });
    await em.flush();

    const finding = (name: string, advisoryDiagnostics?: AdvisoryDiagnosticsSummary): DesiredFinding => ({
      ecosystem: 'npm',
      packageName: name,
      version: '2.17.30',
      manifestPath: 'package-lock.json',
      vulnerabilityId: `GHSA-${name}`,
      aliases: [],
      severity: 'HIGH',
      cvssScore: null,
      fixedVersions: ['3.1.1'],
      ...(advisoryDiagnostics ? { advisoryDiagnostics } : {}),
    });
    const repository = new MikroOrmFindingRepository(orm.em);
    const listed = async () => {
      const page = await new MikroOrmFindingQueries(orm.em.fork()).page(
        { repoId: repo.id },
        { limit: 10, offset: 0 },
      );
      return Object.fromEntries(page.items.map((f) => [f.packageName, f.advisoryDiagnostics]));
    };
    const sync = (findings: DesiredFinding[]) =>
      repository.sync({
        orgId: org.id,
        repoId: repo.id,
        snapshotId: randomUUID(),
        findings,
        now: new Date(),
      });

    await sync([
      finding('node-fetch', summary(diagnostic('COERCED', ['introduced 1.0.0']))),
      finding('clean'),
    ]);
    expect(await listed()).toEqual({
      'node-fetch': summary(diagnostic('COERCED', ['introduced 1.0.0'])),
      clean: NO_ADVISORY_DIAGNOSTICS,
    });

    // Counted beyond the sample: the total says how many the advisory held.
    await sync([
      finding('node-fetch', summary(diagnostic('INTRODUCED_AS_ZERO', ['introduced 0']), 5000)),
      finding('clean'),
    ]);
    expect(await listed()).toEqual({
      'node-fetch': summary(diagnostic('INTRODUCED_AS_ZERO', ['introduced 0']), 5000),
      clean: NO_ADVISORY_DIAGNOSTICS,
    });
  });
});

// The exact total rides on the page's own statement; a page with no row to carry it asks alone.
describe('the total of a finding page', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 2 }),
    );
  });
  afterAll(async () => orm?.close(true));

  it('is exact on every page, past the last one, with a filter, and for no findings at all', async () => {
    const em = orm.em.fork();
    const org = em.create(OrganizationEntity, { name: 'total', slug: `total-${randomUUID().slice(0, 12)}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'total',
      name: randomUUID(),
      defaultBranch: 'main',
    });
    const empty = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'total',
      name: randomUUID(),
      defaultBranch: 'main',
    });
    await em.flush();
    await new MikroOrmFindingRepository(orm.em).sync({
      orgId: org.id,
      repoId: repo.id,
      snapshotId: randomUUID(),
      now: new Date(),
      findings: Array.from({ length: 7 }, (_, i) => ({
        ecosystem: 'npm' as const,
        packageName: `pkg-${i}`,
        version: '1.0.0',
        manifestPath: 'package-lock.json',
        vulnerabilityId: `GHSA-total-${i}`,
        aliases: [],
        severity: i < 3 ? ('HIGH' as const) : ('LOW' as const),
        cvssScore: null,
        fixedVersions: [],
      })),
    });
    const page = (repoId: string, offset: number, severities?: ('HIGH' | 'LOW')[]) =>
      new MikroOrmFindingQueries(orm.em.fork()).page(
        { repoId, ...(severities ? { severities } : {}) },
        { limit: 3, offset },
      );
    const seen = async (repoId: string, offset: number, severities?: ('HIGH' | 'LOW')[]) => {
      const { items, total } = await page(repoId, offset, severities);
      return [items.length, total];
    };

    expect(await seen(repo.id, 0)).toEqual([3, 7]);
    expect(await seen(repo.id, 6)).toEqual([1, 7]);
    expect(await seen(repo.id, 9)).toEqual([0, 7]);
    expect(await seen(repo.id, 0, ['HIGH'])).toEqual([3, 3]);
    expect(await seen(repo.id, 3, ['HIGH'])).toEqual([0, 3]);
    expect(await seen(empty.id, 0)).toEqual([0, 0]);
  });
});

// Keyset paging: each page starts just after the previous page's last finding, in the list's order.
describe('finding pages after a position', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 2 }),
    );
  });
  afterAll(async () => orm?.close(true));

  it('list every finding once, in the order and under the filter asked for, whatever the sort', async () => {
    const em = orm.em.fork();
    const org = em.create(OrganizationEntity, {
      name: 'keyset',
      slug: `keyset-${randomUUID().slice(0, 12)}`,
    });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'keyset',
      name: randomUUID(),
      defaultBranch: 'main',
    });
    await em.flush();
    const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
    // Names that differ only in case, shared by several advisories; two syncs, so first_seen has
    // ties within each and differs between them.
    const finding = (i: number): DesiredFinding => ({
      ecosystem: 'npm',
      packageName: ['left-pad', 'Left-Pad', 'zlib', 'Axios', 'axios'][i % 5]!,
      version: '1.0.0',
      manifestPath: 'package-lock.json',
      vulnerabilityId: `GHSA-keyset-${i}`,
      aliases: [],
      severity: severities[(i * 3) % 5]!,
      cvssScore: null,
      fixedVersions: [],
    });
    const sync = (count: number, now: Date) =>
      new MikroOrmFindingRepository(orm.em).sync({
        orgId: org.id,
        repoId: repo.id,
        snapshotId: randomUUID(),
        now,
        findings: Array.from({ length: count }, (_, i) => finding(i)),
      });
    await sync(12, new Date('2026-12-01T10:00:00.123456Z'));
    await sync(23, new Date('2026-12-02T10:00:00Z'));

    const queries = () => new MikroOrmFindingQueries(orm.em.fork());
    for (const key of ['severity', 'package', 'first_seen'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const filter of [{}, { severities: ['CRITICAL', 'HIGH'] }]) {
          const listed = { repoId: repo.id, sort: { key, direction }, ...filter };
          const whole = await queries().page(listed, { limit: 100, offset: 0 });
          expect(whole.next).toBeNull();
          const walked: string[] = [];
          let page = await queries().page(listed, { limit: 4, offset: 0 });
          expect(page.total).toBe(whole.items.length);
          walked.push(...page.items.map((f) => f.id));
          while (page.next) {
            page = await queries().page(listed, { limit: 4, offset: 0, after: page.next, withTotal: false });
            expect(page.total).toBeNull();
            walked.push(...page.items.map((f) => f.id));
          }
          expect([key, direction, filter, walked]).toEqual([
            key,
            direction,
            filter,
            whole.items.map((f) => f.id),
          ]);
        }
      }
    }
    const all = await queries().page({ repoId: repo.id }, { limit: 100, offset: 0 });
    expect(new Set(all.items.map((f) => f.id)).size).toBe(23);
    expect(new Set(all.items.map((f) => f.firstSeen.toISOString())).size).toBe(2);
    const high = await queries().page(
      { repoId: repo.id, severities: ['CRITICAL', 'HIGH'] },
      { limit: 100, offset: 0 },
    );
    expect(high.items.length).toBeGreaterThan(0);
    expect(high.items.every((f) => ['CRITICAL', 'HIGH'].includes(f.severity))).toBe(true);
  });
});
