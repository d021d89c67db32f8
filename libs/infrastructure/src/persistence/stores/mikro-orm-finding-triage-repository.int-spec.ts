import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { DesiredFinding, TriageDecision, VexAnalysis } from '@repoguard/domain';
import { OrganizationEntity, RepositoryEntity } from '../entities';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmFindingRepository } from '../repositories/mikro-orm-finding-repository';
import { MikroOrmFindingQueries } from './mikro-orm-finding-queries';
import { MikroOrmFindingTriageRepository } from './mikro-orm-finding-triage-repository';

// Triage decisions in VEX terms as stored and listed: the analysis travels with the finding, holds
// until its expiry, comes back with a finding that was fixed and returns, and a reopen clears it.
describe('VEX analyses on stored findings', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 2 }),
    );
  });
  afterAll(async () => orm?.close(true));

  const T0 = new Date('2026-12-12T10:00:00Z');
  const LATER = new Date('2026-12-20T10:00:00Z');
  const AFTER = new Date('2026-12-21T10:00:00Z');

  async function world() {
    const em = orm.em.fork();
    const org = em.create(OrganizationEntity, { name: 'vex', slug: `vex-${randomUUID().slice(0, 12)}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'vex',
      name: randomUUID(),
      defaultBranch: 'main',
    });
    await em.flush();
    const finding = (name: string): DesiredFinding => ({
      ecosystem: 'npm',
      packageName: name,
      version: '1.0.0',
      manifestPath: 'package-lock.json',
      vulnerabilityId: `GHSA-${name}`,
      aliases: [],
      severity: 'CRITICAL',
      cvssScore: null,
      fixedVersions: ['2.0.0'],
    });
    const sync = (names: string[], now: Date) =>
      new MikroOrmFindingRepository(orm.em).sync({
        orgId: org.id,
        repoId: repo.id,
        snapshotId: randomUUID(),
        findings: names.map(finding),
        now,
      });
    const listed = async (asOf: Date) => {
      const page = await new MikroOrmFindingQueries(orm.em.fork()).page(
        { repoId: repo.id, asOf },
        { limit: 10, offset: 0 },
      );
      return Object.fromEntries(
        page.items.map((f) => [f.packageName, { status: f.status, analysis: f.analysis }]),
      );
    };
    const decide = async (
      name: string,
      analysis: VexAnalysis | null,
      status: 'open' | 'ignored',
      expiresAt: Date | null,
    ) => {
      const fem = orm.em.fork();
      const { items } = await new MikroOrmFindingQueries(fem).page(
        { repoId: repo.id, packageName: name },
        { limit: 1, offset: 0 },
      );
      const decision: TriageDecision = {
        status,
        reason: analysis?.detail ?? null,
        analysis,
        expiresAt,
        decidedBy: { actorType: 'user', actorId: 'u1' },
        decidedAt: T0,
      };
      const triage = new MikroOrmFindingTriageRepository(fem);
      await triage.decide(items[0]!.id, decision);
      return triage.get(items[0]!.id);
    };
    return { sync, listed, decide };
  }

  const exploitable: VexAnalysis = {
    state: 'exploitable',
    justification: null,
    responses: ['update'],
    detail: 'reachable',
  };
  const notAffected: VexAnalysis = {
    state: 'not_affected',
    justification: 'code_not_reachable',
    responses: [],
    detail: 'behind a flag',
  };

  it('lists every finding’s analysis while it holds: none untriaged, none once lapsed', async () => {
    const { sync, listed, decide } = await world();
    await sync(['a', 'b', 'c'], T0);
    const stored = await decide('a', exploitable, 'open', LATER);
    expect(stored).toMatchObject({ status: 'open', analysis: exploitable, decisionExpiresAt: LATER });
    await decide('b', notAffected, 'ignored', null);
    expect(await listed(T0)).toEqual({
      a: { status: 'open', analysis: exploitable },
      b: { status: 'ignored', analysis: notAffected },
      c: { status: 'open', analysis: null },
    });
    expect((await listed(AFTER))['a']).toEqual({ status: 'open', analysis: null });
  });

  it('gives a finding that was fixed and comes back its decision again; a reopen clears it', async () => {
    const { sync, listed, decide } = await world();
    await sync(['a', 'b'], T0);
    await decide('a', notAffected, 'ignored', null);
    await sync(['b'], T0);
    expect((await listed(T0))['a']).toEqual({ status: 'fixed', analysis: notAffected });
    await sync(['a', 'b'], T0);
    expect((await listed(T0))['a']).toEqual({ status: 'ignored', analysis: notAffected });
    const reopened = await decide('a', null, 'open', null);
    expect(reopened).toMatchObject({ status: 'open', analysis: null });
    expect((await listed(T0))['a']).toEqual({ status: 'open', analysis: null });
  });
});
