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
