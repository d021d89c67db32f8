import {
  COMPLETE,
  type CurrentFinding,
  type ListedFinding,
  type PolicyVersionRepository,
  type RepoRepository,
  type RepoStatus,
  type Repository,
  type TriageableFinding,
  type TriageDecision,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { ReevaluateRepositoryStatus } from '../repositories/reevaluate-repository-status.use-case';
import { TriageFinding } from './triage-finding.use-case';

const caller: Caller = {
  scope: { orgIds: ['org-1'] },
  actor: { actorType: 'user', actorId: 'u1', correlationId: null, ip: null },
};
const NOW = '2026-06-01T12:00:00.000Z';

/** `closedWhileWaiting`: a scan's sync closes the finding while the triage waits for the lock. */
function setUp(
  status: TriageableFinding['status'],
  closedWhileWaiting?: 'fixed' | 'withdrawn',
  triageExpiresAt: Date | null = null,
) {
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
  const stored = { status };
  const decisions: TriageDecision[] = [];
  // The repository as the last scan left it: FAIL on its one HIGH finding.
  const repo = { status: 'FAIL' as RepoStatus, reevaluateAt: null as Date | null, held: false };
  const current = (): CurrentFinding[] => {
    const decided = decisions.at(-1);
    return [
      {
        ecosystem: 'npm',
        packageName: 'lodash',
        version: '4.17.20',
        manifestPath: 'package-lock.json',
        vulnerabilityId: 'GHSA-xxxx',
        aliases: [],
        severity: 'HIGH',
        cvssScore: null,
        fixedVersions: [],
        status: decided?.status ?? (status === 'ignored' ? 'ignored' : 'open'),
        triageExpiresAt: decided?.expiresAt ?? null,
      },
    ];
  };
  const uow = new FakeUnitOfWork({
    findingTriage: {
      get: (id) =>
        Promise.resolve(id === finding.id ? { ...finding, status: stored.status, triageExpiresAt } : null),
      decide: (_id, decision) => {
        // The repository's lock is taken before the finding's row is written.
        if (!repo.held) throw new Error('decided before holding the repository');
        decisions.push(decision);
        return Promise.resolve();
      },
      lapseExpiredIgnores: () => Promise.resolve([]),
    },
    repositories: {
      holdOutcome: () => {
        repo.held = true;
        if (closedWhileWaiting) stored.status = closedWhileWaiting;
        return Promise.resolve();
      },
      get: (id: string) =>
        Promise.resolve(
          id === 'r1'
            ? ({ id, orgId: 'org-1', status: repo.status, statusReevaluateAt: null } as Repository)
            : null,
        ),
      setStatus: (_id: string, next: RepoStatus, reevaluateAt: Date | null) => {
        repo.status = next;
        repo.reevaluateAt = reevaluateAt;
        return Promise.resolve();
      },
    } as unknown as RepoRepository,
    scannedState: {
      lastScanned: () =>
        Promise.resolve({ snapshotId: 's1', findings: current(), dependencies: [], completeness: COMPLETE }),
    },
    policies: { latest: () => Promise.resolve(null) } as unknown as PolicyVersionRepository,
    findingQueries: {
      page: (filter) =>
        Promise.resolve({
          items: [{ id: filter.findingId, status: decisions.at(-1)?.status } as ListedFinding],
          total: 1,
          next: null,
        }),
      search: () => Promise.reject(new Error('not used')),
      openCountsBySeverity: () => Promise.reject(new Error('not used')),
    },
  });
  const clock = fixedClock(NOW);
  return {
    uow,
    decisions,
    repo,
    triage: new TriageFinding(uow, clock, new ReevaluateRepositoryStatus(uow, clock)),
  };
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

  it('refuses a finding a sync fixed while it waited for the repository’s lock (409 FINDING_FIXED)', async () => {
    const { triage, decisions, uow } = setUp('open', 'fixed');
    await expect(
      triage.execute({ caller, findingId: 'f1', status: 'ignored', reason: 'x' }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'FINDING_FIXED' });
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
    expect(decisions).toEqual([
      {
        status: 'ignored',
        reason: 'not reachable',
        analysis: { state: 'not_affected', justification: null, responses: [], detail: 'not reachable' },
        expiresAt: until,
        decidedBy: { actorType: 'user', actorId: 'u1' },
        decidedAt: new Date(NOW),
      },
    ]);
    expect(answer).toMatchObject({ id: 'f1', status: 'ignored' });
    expect(uow.audited.slice(0, 1)).toEqual([
      expect.objectContaining({
        action: 'finding.ignored',
        targetId: 'f1',
        metadata: {
          from: 'open',
          reason: 'not reachable',
          expires_at: until.toISOString(),
          vulnerability_id: 'GHSA-xxxx',
          package: 'npm/lodash@4.17.20',
          analysis: { state: 'not_affected', justification: null, responses: [], detail: 'not reachable' },
        },
      }),
    ]);
  });

  it('reopening clears the expiry (a past one is no reason to refuse)', async () => {
    const { triage, decisions, uow } = setUp('ignored');
    await triage.execute({ caller, findingId: 'f1', status: 'open', expiresAt: new Date('2020-01-01') });
    expect(decisions).toEqual([
      expect.objectContaining({
        status: 'open',
        reason: null,
        analysis: null,
        expiresAt: null,
        decidedAt: new Date(NOW),
      }),
    ]);
    expect(uow.audited[0]?.action).toBe('finding.reopened');
  });

  it('judges the repository again in the same unit of work: ignoring its only HIGH finding turns FAIL to OK', async () => {
    const { triage, repo, uow } = setUp('open');
    const until = new Date('2026-07-01T00:00:00.000Z');
    await triage.execute({ caller, findingId: 'f1', status: 'ignored', reason: 'x', expiresAt: until });
    expect(repo).toMatchObject({ status: 'OK', reevaluateAt: until });
    expect(uow.audited.map((a) => a.action)).toEqual(['finding.ignored', 'repo.status_changed']);
    expect(uow.audited[1]).toMatchObject({
      targetId: 'r1',
      actor: { actorType: 'user', actorId: 'u1' },
      metadata: { from: 'FAIL', to: 'OK', cause: 'finding.triaged' },
    });
  });

  it('records the status change as an event of its own change, cause triage', async () => {
    const { triage, uow } = setUp('open');
    await triage.execute({ caller, findingId: 'f1', status: 'ignored', reason: 'x' });
    expect(uow.notified).toEqual([
      expect.objectContaining({
        type: 'repo.status_changed',
        org_id: 'org-1',
        repo_id: 'r1',
        severity: null,
        scan_id: null,
        group_key: expect.stringMatching(/^change:[0-9a-f-]{36}$/),
        payload: { old_status: 'FAIL', new_status: 'OK', reasons: [], cause: 'triage' },
      }),
    ]);
  });

  it('starts the expiry timer once the ignore is saved, and saves it even when the timer cannot start', async () => {
    const { uow } = setUp('open');
    const clock = fixedClock(NOW);
    const started: { findingId: string; expiresAt: Date; open: number }[] = [];
    const warnings: string[] = [];
    const until = new Date('2026-07-01T00:00:00.000Z');
    const withTimer = (fails: boolean) =>
      new TriageFinding(uow, clock, new ReevaluateRepositoryStatus(uow, clock), {
        timer: {
          start: (findingId, expiresAt) => {
            started.push({ findingId, expiresAt, open: uow.open });
            return fails ? Promise.reject(new Error('Temporal unreachable')) : Promise.resolve();
          },
          cancel: () => Promise.resolve(),
        },
        warn: (message) => warnings.push(message),
      });

    await withTimer(false).execute({
      caller,
      findingId: 'f1',
      status: 'ignored',
      reason: 'x',
      expiresAt: until,
    });
    // After the commit: no transaction open while it is started.
    expect(started).toEqual([{ findingId: 'f1', expiresAt: until, open: 0 }]);
    const answer = await withTimer(true).execute({
      caller,
      findingId: 'f1',
      status: 'ignored',
      reason: 'x',
      expiresAt: until,
    });
    expect(answer.status).toBe('ignored');
    expect(warnings).toEqual([expect.stringContaining('Temporal unreachable')]);
    await withTimer(false).execute({ caller, findingId: 'f1', status: 'ignored', reason: 'x' });
    expect(started).toHaveLength(2); // an ignore without an expiry has no timer
  });

  describe('the superseded expiry timer', () => {
    const earlier = new Date('2026-07-01T00:00:00.000Z');
    const later = new Date('2026-08-01T00:00:00.000Z');
    function withTimer(uow: FakeUnitOfWork, cancelFails = false) {
      const clock = fixedClock(NOW);
      const calls: string[] = [];
      const warnings: string[] = [];
      const triage = new TriageFinding(uow, clock, new ReevaluateRepositoryStatus(uow, clock), {
        timer: {
          start: (findingId, expiresAt) => {
            calls.push(`start ${findingId} ${expiresAt.toISOString()} open=${uow.open}`);
            return Promise.resolve();
          },
          cancel: (findingId, expiresAt) => {
            calls.push(`cancel ${findingId} ${expiresAt.toISOString()} open=${uow.open}`);
            return cancelFails ? Promise.reject(new Error('Temporal unreachable')) : Promise.resolve();
          },
        },
        warn: (message) => warnings.push(message),
      });
      return { triage, calls, warnings };
    }

    it('is cancelled after the commit when the ignore gets another expiry', async () => {
      const { uow } = setUp('ignored', undefined, earlier);
      const { triage, calls } = withTimer(uow);
      await triage.execute({ caller, findingId: 'f1', status: 'ignored', reason: 'x', expiresAt: later });
      expect(calls).toEqual([
        `start f1 ${later.toISOString()} open=0`,
        `cancel f1 ${earlier.toISOString()} open=0`,
      ]);
    });

    it('is cancelled when the finding is reopened or ignored for good', async () => {
      for (const change of [{ status: 'open' as const }, { status: 'ignored' as const, reason: 'x' }]) {
        const { uow } = setUp('ignored', undefined, earlier);
        const { triage, calls } = withTimer(uow);
        await triage.execute({ caller, findingId: 'f1', ...change });
        expect(calls).toEqual([`cancel f1 ${earlier.toISOString()} open=0`]);
      }
    });

    it('is kept when the expiry stays the same, and there is none to cancel for an open finding', async () => {
      const same = setUp('ignored', undefined, earlier);
      const kept = withTimer(same.uow);
      await kept.triage.execute({
        caller,
        findingId: 'f1',
        status: 'ignored',
        reason: 'y',
        expiresAt: earlier,
      });
      expect(kept.calls).toEqual([`start f1 ${earlier.toISOString()} open=0`]);
      const open = setUp('open');
      const none = withTimer(open.uow);
      await none.triage.execute({
        caller,
        findingId: 'f1',
        status: 'ignored',
        reason: 'y',
        expiresAt: later,
      });
      expect(none.calls).toEqual([`start f1 ${later.toISOString()} open=0`]);
    });

    it('failing to cancel it is only logged: the decision stands (the timer finds nothing to do)', async () => {
      const { uow } = setUp('ignored', undefined, earlier);
      const { triage, warnings } = withTimer(uow, true);
      const answer = await triage.execute({ caller, findingId: 'f1', status: 'open' });
      expect(answer.status).toBe('open');
      expect(warnings).toEqual([expect.stringContaining('Temporal unreachable')]);
    });
  });

  describe('a decision in VEX terms', () => {
    it('not_affected leaves the count: the finding is ignored and FAIL turns OK, audited with its analysis', async () => {
      const { triage, decisions, repo, uow } = setUp('open');
      await triage.execute({
        caller,
        findingId: 'f1',
        vex: { state: 'not_affected', justification: 'code_not_reachable', detail: 'only in tests' },
      });
      expect(decisions).toEqual([
        expect.objectContaining({
          status: 'ignored',
          reason: 'only in tests',
          analysis: {
            state: 'not_affected',
            justification: 'code_not_reachable',
            responses: [],
            detail: 'only in tests',
          },
          expiresAt: null,
        }),
      ]);
      expect(repo.status).toBe('OK');
      expect(uow.audited.map((a) => a.action)).toEqual(['finding.vex_decided', 'repo.status_changed']);
      expect(uow.audited[0]?.metadata).toMatchObject({
        from: 'open',
        analysis: { state: 'not_affected', justification: 'code_not_reachable' },
      });
    });

    it('exploitable (with responses) and in_triage stay in the count: still FAIL', async () => {
      for (const vex of [{ state: 'exploitable', responses: ['update'] }, { state: 'in_triage' }]) {
        const { triage, decisions, repo } = setUp('open');
        await triage.execute({ caller, findingId: 'f1', vex });
        expect(decisions[0]).toMatchObject({ status: 'open', analysis: { state: vex.state } });
        expect(repo.status).toBe('FAIL');
      }
    });

    it('false_positive and resolved leave the count; from ignored, exploitable counts again', async () => {
      for (const state of ['false_positive', 'resolved']) {
        const { triage, repo } = setUp('open');
        await triage.execute({ caller, findingId: 'f1', vex: { state } });
        expect([state, repo.status]).toEqual([state, 'OK']);
      }
      const { triage, decisions, uow } = setUp('ignored');
      await triage.execute({ caller, findingId: 'f1', vex: { state: 'exploitable' } });
      expect(decisions[0]?.status).toBe('open');
      expect(uow.audited[0]?.metadata).toMatchObject({ from: 'ignored' });
    });

    it('refuses a wrong combination naming the field, and records nothing', async () => {
      const { triage, decisions, uow } = setUp('open');
      await expect(
        triage.execute({
          caller,
          findingId: 'f1',
          vex: { state: 'exploitable', justification: 'code_not_present' },
        }),
      ).rejects.toMatchObject({
        kind: 'invalid',
        details: [{ field: 'justification', problem: 'only with state not_affected' }],
      });
      await expect(
        triage.execute({ caller, findingId: 'f1', vex: { state: 'not_affected' } }),
      ).rejects.toMatchObject({
        kind: 'invalid',
        details: [{ field: 'justification', problem: 'not_affected needs a justification or a detail' }],
      });
      expect(decisions).toEqual([]);
      expect(uow.audited).toEqual([]);
    });

    it('keeps an expiry on any decision (a past one refused); only an ignoring one has a timer', async () => {
      const { uow } = setUp('open');
      const clock = fixedClock(NOW);
      const started: string[] = [];
      const triage = new TriageFinding(uow, clock, new ReevaluateRepositoryStatus(uow, clock), {
        timer: {
          start: (findingId) => {
            started.push(findingId);
            return Promise.resolve();
          },
          cancel: () => Promise.resolve(),
        },
      });
      await expect(
        triage.execute({
          caller,
          findingId: 'f1',
          vex: { state: 'exploitable' },
          expiresAt: new Date('2026-06-01T11:00:00.000Z'),
        }),
      ).rejects.toMatchObject({ details: [{ field: 'expires_at', problem: 'must be in the future' }] });
      const until = new Date('2026-07-01T00:00:00.000Z');
      await triage.execute({ caller, findingId: 'f1', vex: { state: 'in_triage' }, expiresAt: until });
      expect(started).toEqual([]);
      await triage.execute({ caller, findingId: 'f1', vex: { state: 'false_positive' }, expiresAt: until });
      expect(started).toEqual(['f1']);
    });
  });

  it('refuses a withdrawn finding (409 FINDING_WITHDRAWN) and records nothing', async () => {
    const { triage, decisions, uow } = setUp('withdrawn');
    await expect(
      triage.execute({ caller, findingId: 'f1', status: 'ignored', reason: 'x' }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'FINDING_WITHDRAWN' });
    expect(decisions).toEqual([]);
    expect(uow.audited).toEqual([]);
  });
});
