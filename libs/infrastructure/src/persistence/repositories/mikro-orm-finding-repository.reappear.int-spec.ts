import { randomUUID } from 'node:crypto';
import type { DesiredFinding, VexState } from '@repoguard/domain';
import { npmFinding, ormPerSuite, storedRepository } from '../stored-repository.test-helper';
import { MikroOrmFindingRepository } from './mikro-orm-finding-repository';

// A fixed finding that a later scan sees again takes its decision back while it holds, except a
// `resolved` one: the team said it was fixed, and it is back, so the finding is open and new again.
describe('MikroOrmFindingRepository.sync of a finding that comes back', () => {
  const orm = ormPerSuite();

  const finding = (packageName: string) => npmFinding('RG-BACK', packageName);

  it('opens a resolved finding again (finding.new), and keeps a not_affected one ignored', async () => {
    const ids = await storedRepository(orm(), 'back');
    const knex = orm().em.getKnex();
    const repository = new MikroOrmFindingRepository(orm().em);
    const both = [finding('resolved'), finding('not-affected')];
    const sync = (findings: DesiredFinding[]) =>
      repository.sync({ ...ids, snapshotId: randomUUID(), scanId: undefined, findings, now: new Date() });
    await sync(both);
    const decide = (packageName: string, state: VexState) =>
      knex('findings').where({ repo_id: ids.repoId, package_name: packageName }).update({
        status: 'ignored',
        triage_status: 'ignored',
        triage_state: state,
        triage_responses: '[]',
        triage_reason: 'decided',
        triaged_by_type: 'user',
        triaged_at: new Date(),
      });
    await decide('resolved', 'resolved');
    await decide('not-affected', 'not_affected');
    await sync([]);
    await knex('notification_events').where({ repo_id: ids.repoId }).delete();

    await sync(both);

    const rows = (await knex('findings')
      .where({ repo_id: ids.repoId })
      .orderBy('package_name')
      .select('id', 'package_name', 'status', 'triage_status', 'triage_state')) as {
      id: string;
      package_name: string;
      status: string;
      triage_status: string | null;
      triage_state: string | null;
    }[];
    expect(rows.map(({ id: _, ...row }) => row)).toEqual([
      {
        package_name: 'not-affected',
        status: 'ignored',
        triage_status: 'ignored',
        triage_state: 'not_affected',
      },
      // The decision that said it was fixed no longer says anything: the finding is open and counted.
      { package_name: 'resolved', status: 'open', triage_status: 'open', triage_state: null },
    ]);
    const events = (await knex('notification_events')
      .where({ repo_id: ids.repoId })
      .select('type', 'payload')) as { type: string; payload: { finding: { finding_id: string } } }[];
    expect(events.map((e) => [e.type, e.payload.finding.finding_id])).toEqual([
      ['finding.new', rows.find((r) => r.package_name === 'resolved')!.id],
    ]);
  });
});
