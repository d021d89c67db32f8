import { randomUUID } from 'node:crypto';
import { npmFinding, ormPerSuite, storedRepository } from '../stored-repository.test-helper';
import { MikroOrmFindingRepository } from './mikro-orm-finding-repository';

// A risk accepted on a pull request's check (risk_acceptances) makes the default branch's finding,
// when a scan first records it, born ignored until the acceptance's expiry.
describe('MikroOrmFindingRepository.sync with risk acceptances', () => {
  const orm = ormPerSuite();

  const finding = (packageName: string) => npmFinding('RG-RISK', packageName);

  it('records an accepted finding ignored until the expiry, decided by who accepted it; others open', async () => {
    const ids = await storedRepository(orm(), 'risk');
    const knex = orm().em.getKnex();
    const now = new Date();
    const inForce = new Date(now.getTime() + 30 * 86_400_000);
    const acceptance = (packageName: string, expiresAt: Date, acceptedBy: string) => ({
      id: randomUUID(),
      org_id: ids.orgId,
      repo_id: ids.repoId,
      vulnerability_id: `RG-RISK-${packageName}`,
      ecosystem: 'npm',
      package_name: packageName,
      reason: 'Accepted from the check of pull request #7',
      accepted_by: acceptedBy,
      expires_at: expiresAt,
    });
    await knex('risk_acceptances').insert([
      acceptance('accepted', inForce, 'github:octocat'),
      acceptance('by-user', inForce, `user:${ids.orgId}`),
      acceptance('lapsed', new Date(now.getTime() - 1000), 'github:octocat'),
    ]);

    const result = await new MikroOrmFindingRepository(orm().em).sync({
      ...ids,
      snapshotId: randomUUID(),
      findings: ['accepted', 'by-user', 'lapsed', 'plain'].map(finding),
      now,
    });

    expect(result).toMatchObject({ opened: 4 });
    const stored = await knex('findings')
      .where({ repo_id: ids.repoId })
      .orderBy('package_name')
      .select(
        'package_name',
        'status',
        'triage_reason',
        'triage_expires_at',
        'triaged_by_type',
        'triaged_by_id',
      );
    // Timestamps come back as text here; compared as instants.
    const rows = stored.map((r: { triage_expires_at: string | null }) => ({
      ...r,
      triage_expires_at: r.triage_expires_at === null ? null : new Date(r.triage_expires_at),
    }));
    expect(rows).toEqual([
      {
        package_name: 'accepted',
        status: 'ignored',
        triage_reason: 'Accepted from the check of pull request #7',
        triage_expires_at: inForce,
        triaged_by_type: 'webhook',
        triaged_by_id: 'github:octocat',
      },
      expect.objectContaining({
        package_name: 'by-user',
        status: 'ignored',
        triaged_by_type: 'user',
        triaged_by_id: ids.orgId,
      }),
      expect.objectContaining({ package_name: 'lapsed', status: 'open', triage_expires_at: null }),
      expect.objectContaining({ package_name: 'plain', status: 'open', triaged_by_type: null }),
    ]);
    // Born ignored is not news: no finding.new event for it.
    const events = await knex('notification_events').where({ repo_id: ids.repoId }).select('type', 'payload');
    const newOnes = events.filter((e: { type: string }) => e.type === 'finding.new');
    expect(JSON.stringify(newOnes)).not.toContain('RG-RISK-accepted');
    expect(JSON.stringify(newOnes)).toContain('RG-RISK-plain');
  });
});
