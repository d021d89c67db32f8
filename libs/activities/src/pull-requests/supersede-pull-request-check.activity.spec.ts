import type {
  CheckDelivery,
  PullRequestCheckRecord,
  PullRequestCheckReport,
  PullRequestCheckRepository,
} from '@repoguard/domain';
import { createSupersedePullRequestCheckActivity } from './supersede-pull-request-check.activity';

const REQUESTED_AT = new Date('2026-12-05T10:00:00.000Z');

function fixture(delivery: CheckDelivery | null) {
  let row: PullRequestCheckRecord = {
    id: 'c1',
    orgId: 'o',
    repoId: 'r',
    prNumber: 1,
    headSha: 'a'.repeat(40),
    baseRef: 'main',
    baseSha: null,
    state: 'in_progress',
    conclusion: null,
    delivery,
    checkRunId: delivery ? '55' : null,
    comparison: null,
    errorCode: null,
    requestedBy: 't',
    requestedAt: REQUESTED_AT,
    headAt: new Date(),
    createdAt: new Date(),
    completedAt: null,
  };
  const published: PullRequestCheckReport[] = [];
  const checks = {
    get: async () => row,
    supersede: async () => {
      row = { ...row, state: 'superseded' };
    },
    recordDelivery: async () => undefined,
  } as unknown as PullRequestCheckRepository;
  const activity = createSupersedePullRequestCheckActivity({
    pullRequestChecks: checks,
    pullRequestCheckPublisher: {
      publish: async (target, report) => {
        expect(target).toMatchObject({ owner: 'acme', name: 'api', checkRunId: '55' });
        published.push(report);
        return { delivery: 'check_run', checkRunId: '55' };
      },
    },
  });
  return { activity, published, row: () => row };
}

const step = {
  checkId: 'c1',
  owner: 'acme',
  name: 'api',
  headSha: 'a'.repeat(40),
  requestedAt: REQUESTED_AT.toISOString(),
};

describe('supersedePullRequestCheck', () => {
  it('closes the pending check the older head showed, as neutral', async () => {
    const { activity, published, row } = fixture('check_run');
    await activity(step);
    expect(row().state).toBe('superseded');
    expect(published).toEqual([
      expect.objectContaining({
        status: 'completed',
        conclusion: 'neutral',
        title: 'Superseded by a newer commit',
      }),
    ]);
  });

  it('publishes nothing for a head that never showed a check, nor for a history that named the check alone', async () => {
    const never = fixture(null);
    await never.activity(step);
    expect([never.row().state, never.published]).toEqual(['superseded', []]);
    const old = fixture('check_run');
    await old.activity({ checkId: 'c1' });
    expect([old.row().state, old.published]).toEqual(['superseded', []]);
  });

  it('closes nothing when the head was asked for again since the request it superseded', async () => {
    const { activity, published } = fixture('check_run');
    await activity({ ...step, requestedAt: new Date(REQUESTED_AT.getTime() - 1_000).toISOString() });
    expect(published).toEqual([]);
  });
});
