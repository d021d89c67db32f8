import type { ListedFinding, TriageableFinding, TriageDecision } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { TriageFinding } from './triage-finding.use-case';

const caller: Caller = {
  scope: { orgIds: ['org-1'] },
  actor: { actorType: 'user', actorId: 'u1', correlationId: null, ip: null },
};
const NOW = '2026-06-01T12:00:00.000Z';

function setUp(status: TriageableFinding['status']) {
  const finding: TriageableFinding = {
    id: 'f1',
    orgId: 'org-1',
    repoId: 'r1',
    status,
    vulnerabilityId: 'GHSA-xxxx',
    ecosystem: 'npm',
    packageName: 'lodash',
    version: '4.17.20',
  };
  const decisions: TriageDecision[] = [];
  const uow = new FakeUnitOfWork({
    findingTriage: {
      get: (id) => Promise.resolve(id === finding.id ? finding : null),
      decide: (_id, decision) => {
        decisions.push(decision);
        return Promise.resolve();
      },
    },
    findingQueries: {
      page: (filter) =>
        Promise.resolve({
          items: [{ id: filter.findingId, status: decisions.at(-1)?.status } as ListedFinding],
          total: 1,
        }),
      search: () => Promise.reject(new Error('not used')),
      openCountsBySeverity: () => Promise.reject(new Error('not used')),
    },
  });
  return { uow, decisions, triage: new TriageFinding(uow, fixedClock(NOW)) };
}

describe('TriageFinding', () => {
  it('refuses a fixed finding (409 FINDING_FIXED) and records nothing', async () => {
    const { triage, decisions, uow } = setUp('fixed');
    await expect(
      triage.execute({ caller, findingId: 'f1', status: 'ignored', reason: 'x' }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      code: 'FINDING_FIXED',
    });
    expect(decisions).toEqual([]);
    expect(uow.audited).toEqual([]);
  });

  it('refuses an ignore decision that would lapse in the past', async () => {
    const { triage, decisions } = setUp('open');
    const past = new Date('2026-06-01T11:59:59.000Z');
    await expect(
      triage.execute({ caller, findingId: 'f1', status: 'ignored', reason: 'x', expiresAt: past }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ field: 'expires_at', problem: 'must be in the future' }],
    });
    expect(decisions).toEqual([]);
  });

  it('ignores with a reason until a date, audited, and answers the finding as listed', async () => {
    const { triage, decisions, uow } = setUp('open');
    const until = new Date('2026-07-01T00:00:00.000Z');
    const answer = await triage.execute({
      caller,
      findingId: 'f1',
      status: 'ignored',
      reason: '  not reachable ',
      expiresAt: until,
    });
    expect(decisions).toEqual([{ status: 'ignored', reason: 'not reachable', expiresAt: until }]);
    expect(answer).toMatchObject({ id: 'f1', status: 'ignored' });
    expect(uow.audited).toEqual([
      expect.objectContaining({
        action: 'finding.ignored',
        targetId: 'f1',
        metadata: {
          from: 'open',
          reason: 'not reachable',
          expires_at: until.toISOString(),
          vulnerability_id: 'GHSA-xxxx',
          package: 'npm/lodash@4.17.20',
        },
      }),
    ]);
  });

  it('reopening clears the expiry (a past one is no reason to refuse)', async () => {
    const { triage, decisions, uow } = setUp('ignored');
    await triage.execute({ caller, findingId: 'f1', status: 'open', expiresAt: new Date('2020-01-01') });
    expect(decisions).toEqual([{ status: 'open', reason: null, expiresAt: null }]);
    expect(uow.audited[0]?.action).toBe('finding.reopened');
  });
});
