import {
  COMPLETE,
  type PolicyVersionRepository,
  type RepoRepository,
  type Repository,
} from '@repoguard/domain';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { ReevaluateDueRepositoryStatuses } from './reevaluate-due-repository-statuses.use-case';
import {
  ReevaluateRepositoryStatus,
  RETRY_FAILED_REEVALUATION_MS,
} from './reevaluate-repository-status.use-case';

const NOW = '2026-06-01T12:00:00.000Z';

/**
 * Due repositories in memory, most overdue first as the database answers them; judging one whose
 * id starts with `broken` throws, as a repository whose findings cannot be read would.
 */
function setUp(due: Record<string, string>) {
  const repos = new Map(Object.entries(due).map(([id, at]) => [id, new Date(at) as Date | null]));
  const judged: string[] = [];
  const uow = new FakeUnitOfWork({
    repositories: {
      holdOutcome: () => Promise.resolve(),
      get: (id: string) =>
        Promise.resolve(
          repos.has(id)
            ? ({ id, orgId: 'org-1', status: 'FAIL', statusReevaluateAt: repos.get(id) } as Repository)
            : null,
        ),
      setStatus: (id: string, _status: string, reevaluateAt: Date | null) => {
        judged.push(id);
        repos.set(id, reevaluateAt);
        return Promise.resolve();
      },
      dueForReevaluation: (now: Date, limit: number) =>
        Promise.resolve(
          [...repos]
            .filter((entry): entry is [string, Date] => entry[1] !== null && entry[1] <= now)
            .sort(([a, at], [b, bt]) => at.getTime() - bt.getTime() || a.localeCompare(b))
            .slice(0, limit)
            .map(([id]) => ({ id, orgId: 'org-1' })),
        ),
      postponeReevaluation: (id: string, now: Date, until: Date) => {
        const at = repos.get(id);
        if (!at || at > now) return Promise.resolve(false);
        repos.set(id, until);
        return Promise.resolve(true);
      },
    } as unknown as RepoRepository,
    findingTriage: {
      get: () => Promise.reject(new Error('not used')),
      decide: () => Promise.reject(new Error('not used')),
      lapseExpiredIgnores: (repoId) =>
        repoId.startsWith('broken') ? Promise.reject(new Error('findings unreadable')) : Promise.resolve([]),
    },
    scannedState: {
      lastScanned: () =>
        Promise.resolve({ snapshotId: 's1', findings: [], dependencies: [], completeness: COMPLETE }),
    },
    policies: { latest: () => Promise.resolve(null) } as unknown as PolicyVersionRepository,
  });
  const clock = fixedClock(NOW);
  const sweep = new ReevaluateDueRepositoryStatuses(uow, new ReevaluateRepositoryStatus(uow, clock), clock);
  return { sweep, repos, judged };
}

describe('ReevaluateDueRepositoryStatuses', () => {
  it('postpones a repository it cannot judge, so a full round of them does not block the others', async () => {
    const { sweep, repos, judged } = setUp({
      'broken-1': '2026-06-01T10:00:00.000Z',
      'broken-2': '2026-06-01T10:00:01.000Z',
      healthy: '2026-06-01T11:00:00.000Z',
    });

    const first = await sweep.execute({ limit: 2 });
    expect(first).toMatchObject({ due: 2, judged: 0, more: true });
    const retryAt = new Date(Date.parse(NOW) + RETRY_FAILED_REEVALUATION_MS);
    expect(first.failed).toEqual([
      `broken-1: findings unreadable; tried again at ${retryAt.toISOString()}`,
      `broken-2: findings unreadable; tried again at ${retryAt.toISOString()}`,
    ]);
    expect(repos.get('broken-1')).toEqual(retryAt);

    const second = await sweep.execute({ limit: 2 });
    expect(second).toMatchObject({ due: 1, judged: 1, failed: [], more: false });
    expect(judged).toEqual(['healthy']);
  });
});
