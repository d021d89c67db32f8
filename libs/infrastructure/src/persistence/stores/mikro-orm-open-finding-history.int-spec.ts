import { randomUUID } from 'node:crypto';
import { ReevaluateRepositoryStatus, TriageFinding } from '@repoguard/application';
import { carryForward, type Clock, type DesiredFinding, type Severity } from '@repoguard/domain';
import { RepositoryEntity } from '../entities';
import { MikroOrmFindingRepository } from '../repositories/mikro-orm-finding-repository';
import { ormPerSuite, storedRepository } from '../stored-repository.test-helper';
import { MikroOrmFindingQueries } from './mikro-orm-finding-queries';
import { MikroOrmOpenFindingHistory } from './mikro-orm-open-finding-history';
import { MikroOrmUnitOfWork } from './mikro-orm-unit-of-work';

// The overview's trend: each repository's open findings per UTC day, written where findings change
// (a scan's sync, then its count; a triage decision, in its own transaction), summed per org and
// carried over the days without a change.
describe('open findings per day', () => {
  const orm = ormPerSuite();
  const at = (day: string, time = '12:00:00') => new Date(`${day}T${time}Z`);
  const finding = (name: string, severity: Severity): DesiredFinding => ({
    ecosystem: 'npm',
    packageName: name,
    version: '1.0.0',
    manifestPath: 'package-lock.json',
    vulnerabilityId: `GHSA-trend-${name}`,
    aliases: [],
    severity,
    cvssScore: null,
    fixedVersions: ['2.0.0'],
  });

  /** A scan's persist step: the sync, then the day's count. */
  async function scanned(
    repo: { orgId: string; repoId: string },
    findings: DesiredFinding[],
    now: Date,
  ): Promise<void> {
    await new MikroOrmFindingRepository(orm().em).sync({ ...repo, snapshotId: randomUUID(), findings, now });
    await new MikroOrmOpenFindingHistory(orm().em.fork()).record(repo.repoId, now);
  }

  const trend = async (orgId: string, from: string, to: string) =>
    carryForward(
      await new MikroOrmOpenFindingHistory(orm().em.fork()).changes(orgId, from, to),
      from,
      to,
    ).map((p) => `${p.day} C${p.counts.CRITICAL} H${p.counts.HIGH} M${p.counts.MEDIUM} U${p.counts.UNKNOWN}`);

  it("sums each repository's last count of the day, carries it over quiet days, and counts only the org's connected repositories", async () => {
    const first = await storedRepository(orm(), 'trend');
    const second = { orgId: first.orgId, repoId: (await storedRepository(orm(), 'trend')).repoId };
    // storedRepository makes an org per repository: move the second into the first's org.
    await orm().em.fork().nativeUpdate(RepositoryEntity, { id: second.repoId }, { orgId: first.orgId });
    const elsewhere = await storedRepository(orm(), 'trend-other');

    await scanned(first, [finding('a', 'CRITICAL'), finding('b', 'HIGH')], at('2026-11-01', '08:00:00'));
    await scanned(second, [finding('c', 'HIGH'), finding('d', 'UNKNOWN')], at('2026-11-01'));
    // The day's later count replaces the earlier one: b was fixed that afternoon.
    await scanned(first, [finding('a', 'CRITICAL')], at('2026-11-01', '16:00:00'));
    await scanned(second, [finding('d', 'UNKNOWN')], at('2026-11-03'));
    await scanned(elsewhere, [finding('e', 'CRITICAL')], at('2026-11-02'));

    expect(await trend(first.orgId, '2026-10-31', '2026-11-04')).toEqual([
      '2026-10-31 C0 H0 M0 U0',
      '2026-11-01 C1 H1 M0 U1',
      '2026-11-02 C1 H1 M0 U1',
      '2026-11-03 C1 H0 M0 U1',
      '2026-11-04 C1 H0 M0 U1',
    ]);
    // A window that starts after the last change still starts where each repository stood.
    expect(await trend(first.orgId, '2026-11-10', '2026-11-11')).toEqual([
      '2026-11-10 C1 H0 M0 U1',
      '2026-11-11 C1 H0 M0 U1',
    ]);
    expect(await trend(elsewhere.orgId, '2026-11-01', '2026-11-02')).toEqual([
      '2026-11-01 C0 H0 M0 U0',
      '2026-11-02 C1 H0 M0 U0',
    ]);

    // Disconnected: its rows stay (as its findings do) but no longer count.
    await orm().em.fork().nativeDelete(RepositoryEntity, { id: second.repoId });
    expect(await trend(first.orgId, '2026-11-03', '2026-11-03')).toEqual(['2026-11-03 C1 H0 M0 U0']);
  });

  it("records a triage decision's day through the use case, in its transaction", async () => {
    const repo = await storedRepository(orm(), 'trend-triage');
    await scanned(repo, [finding('x', 'CRITICAL'), finding('y', 'MEDIUM')], at('2026-11-20'));
    const { items } = await new MikroOrmFindingQueries(orm().em.fork()).page(
      { repoId: repo.repoId, packageName: 'x' },
      { limit: 1, offset: 0 },
    );
    const clock: Clock = { now: () => at('2026-11-22') };
    const uow = new MikroOrmUnitOfWork(orm().em);
    await new TriageFinding(uow, clock, new ReevaluateRepositoryStatus(uow, clock)).execute({
      caller: {
        scope: { orgIds: [repo.orgId] },
        actor: { actorType: 'user', actorId: null, correlationId: null, ip: null },
      },
      findingId: items[0]!.id,
      status: 'ignored',
      reason: 'not reachable from our code',
    });

    expect(await trend(repo.orgId, '2026-11-20', '2026-11-23')).toEqual([
      '2026-11-20 C1 H0 M1 U0',
      '2026-11-21 C1 H0 M1 U0',
      '2026-11-22 C0 H0 M1 U0',
      '2026-11-23 C0 H0 M1 U0',
    ]);
  });
});
