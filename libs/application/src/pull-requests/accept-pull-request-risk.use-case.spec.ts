import type {
  AuditContext,
  AuditEvent,
  NewPullRequestCheck,
  NewRiskAcceptance,
  PullRequestCheckRecord,
  PullRequestCheckRepository,
  PullRequestComparison,
  PullRequestFinding,
  Repository,
  RiskAcceptance,
  RiskAcceptanceRepository,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { fixedClock } from '../testing/fake-unit-of-work';
import {
  AcceptPullRequestRisk,
  type AcceptPullRequestRiskCommand,
} from './accept-pull-request-risk.use-case';
import type { RelayPullRequestChecks } from './relay-pull-request-checks.use-case';

const NOW = '2026-12-11T10:00:00.000Z';
const HEAD = 'b'.repeat(40);
const REPO: Repository = {
  id: 'repo-1',
  orgId: 'org-a',
  provider: 'github',
  owner: 'acme',
  name: 'web',
  defaultBranch: 'main',
  externalId: '4242',
  gitUrl: null,
  installationId: '77',
  status: 'FAIL',
  statusReevaluateAt: null,
  lastScanAt: null,
  disabledAt: null,
  disabledReason: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
};
const caller: Caller = {
  scope: { orgIds: ['org-a'] },
  actor: { actorType: 'webhook', actorId: 'github:d-1', correlationId: 'd-1', ip: null },
};

const finding = (vulnerabilityId: string, packageName = 'lodash'): PullRequestFinding => ({
  vulnerabilityId,
  aliases: [],
  summary: null,
  severity: 'HIGH',
  ecosystem: 'npm',
  packageName,
  version: '4.17.20',
  manifestPath: 'package-lock.json',
  line: 12,
  fixedIn: '4.17.21',
  direct: true,
});

function comparison(
  introduced: PullRequestFinding[],
  accepted: PullRequestFinding[] = [],
): PullRequestComparison {
  return {
    baseCommitSha: 'a'.repeat(40),
    headCommitSha: HEAD,
    baseScanId: null,
    manifestsChanged: ['package-lock.json'],
    introduced,
    resolved: [],
    accepted,
    status: introduced.length > accepted.length ? 'FAIL' : 'OK',
    reasons: [],
    incomplete: [],
  };
}

function check(overrides: Partial<PullRequestCheckRecord> = {}): PullRequestCheckRecord {
  return {
    id: 'check-1',
    orgId: REPO.orgId,
    repoId: REPO.id,
    prNumber: 7,
    headSha: HEAD,
    baseRef: 'main',
    baseSha: 'a'.repeat(40),
    state: 'completed',
    conclusion: 'failure',
    delivery: 'check_run',
    checkRunId: '9001',
    comparison: comparison([finding('GHSA-1111-2222-3333'), finding('GHSA-4444-5555-6666', 'minimist')]),
    errorCode: null,
    requestedBy: 'webhook:d-0',
    requestedAt: new Date('2026-12-11T09:00:00Z'),
    headAt: new Date('2026-12-11T09:00:00Z'),
    createdAt: new Date('2026-12-11T09:00:00Z'),
    completedAt: new Date('2026-12-11T09:01:00Z'),
    ...overrides,
  };
}

/** In-memory ports: the repositories the caller's scope sees, one check, the acceptances. */
function fakes(
  checks: PullRequestCheckRecord[],
  repos: Repository[] = [REPO],
  existing: RiskAcceptance[] = [],
) {
  const audited: (AuditEvent & { actor: AuditContext })[] = [];
  const acceptances: RiskAcceptance[] = [...existing];
  const requested: NewPullRequestCheck[] = [];
  const pullRequestChecks: Pick<PullRequestCheckRepository, 'findByCheckRun' | 'request' | 'newestHead'> = {
    findByCheckRun: async (repoId, checkRunId) =>
      checks.find((c) => c.repoId === repoId && c.checkRunId === checkRunId) ?? null,
    newestHead: async (repoId, prNumber) =>
      checks
        .filter((c) => c.repoId === repoId && c.prNumber === prNumber)
        .reduce<PullRequestCheckRecord | null>((a, c) => (a && a.headAt >= c.headAt ? a : c), null),
    request: async (asked) => {
      requested.push(asked);
      const same = checks.find(
        (c) => c.repoId === asked.repoId && c.prNumber === asked.prNumber && c.headSha === asked.headSha,
      );
      return { ...(same ?? check({ id: asked.id })), state: 'queued' };
    },
  };
  const riskAcceptances: RiskAcceptanceRepository = {
    accept: async (acceptance: NewRiskAcceptance) => {
      const created = { ...acceptance, createdAt: new Date(NOW) };
      acceptances.push(created);
      return created;
    },
    inForce: async (repoId, now) => acceptances.filter((a) => a.repoId === repoId && a.expiresAt > now),
  };
  const stores = {
    repositories: {
      findByExternalId: async (_p: string, id: string) => repos.filter((r) => r.externalId === id),
    },
    pullRequestChecks,
    riskAcceptances,
    audit: { record: (actor: AuditContext, event: AuditEvent) => audited.push({ ...event, actor }) },
  } as unknown as Parameters<AcceptPullRequestRisk['executeIn']>[0];
  return { stores, audited, acceptances, requested };
}

const command = (overrides: Partial<AcceptPullRequestRiskCommand> = {}): AcceptPullRequestRiskCommand => ({
  caller,
  deliveryId: 'd-1',
  githubRepoId: '4242',
  checkRunId: '9001',
  externalId: 'check-1',
  headSha: HEAD,
  sender: 'octocat',
  ...overrides,
});

let ids = 0;
const relay = {
  holdMs: 0,
  taskQueue: 'checks',
  workflowIdFor: (repoId: string, n: number) => `pr-scan:${repoId}:${n}`,
} as unknown as RelayPullRequestChecks;
const useCase = () => new AcceptPullRequestRisk(fixedClock(NOW), () => `id-${++ids}`, relay);

describe('AcceptPullRequestRisk', () => {
  it('accepts each introduced finding for 30 days, audits each, and queues the same head again', async () => {
    const { stores, audited, acceptances, requested } = fakes([check()]);

    const outcome = await useCase().executeIn(stores, command());

    expect(outcome).toMatchObject({ handled: true, outcome: '2 risk(s) accepted for 30 days' });
    expect(acceptances).toEqual([
      expect.objectContaining({
        orgId: 'org-a',
        repoId: 'repo-1',
        vulnerabilityId: 'GHSA-1111-2222-3333',
        ecosystem: 'npm',
        packageName: 'lodash',
        acceptedBy: 'github:octocat',
        expiresAt: new Date('2027-01-10T10:00:00.000Z'),
      }),
      expect.objectContaining({ vulnerabilityId: 'GHSA-4444-5555-6666', packageName: 'minimist' }),
    ]);
    expect(audited).toEqual([
      expect.objectContaining({
        orgId: 'org-a',
        action: 'risk.accepted',
        targetType: 'risk_acceptance',
        actor: caller.actor,
        metadata: expect.objectContaining({
          pr_number: 7,
          head_sha: HEAD,
          vulnerability_id: 'GHSA-1111-2222-3333',
          package: 'lodash',
          expires_at: '2027-01-10T10:00:00.000Z',
          delivery_id: 'd-1',
          accepted_by: 'github:octocat',
        }),
      }),
      expect.objectContaining({
        action: 'risk.accepted',
        metadata: expect.objectContaining({ package: 'minimist' }),
      }),
      expect.objectContaining({
        action: 'pull_request_check.requested',
        metadata: expect.objectContaining({ check_id: 'check-1', risk_accepted: 2, delivery_id: 'd-1' }),
      }),
    ]);
    expect(requested).toEqual([
      expect.objectContaining({
        orgId: 'org-a',
        repoId: 'repo-1',
        prNumber: 7,
        headSha: HEAD,
        baseRef: 'main',
      }),
    ]);
    expect(outcome.checks).toEqual([
      expect.objectContaining({
        check_id: 'check-1',
        repo_id: 'repo-1',
        pr_number: 7,
        head_sha: HEAD,
        workflow_id: 'pr-scan:repo-1:7',
      }),
    ]);
  });

  it('accepts only what is not accepted yet, and nothing twice', async () => {
    const lodash = finding('GHSA-1111-2222-3333');
    const alreadyInForce: RiskAcceptance = {
      id: 'old',
      orgId: 'org-a',
      repoId: 'repo-1',
      vulnerabilityId: 'GHSA-4444-5555-6666',
      ecosystem: 'npm',
      packageName: 'minimist',
      reason: 'earlier',
      acceptedBy: 'github:someone',
      expiresAt: new Date('2026-12-20T00:00:00Z'),
      createdAt: new Date('2026-12-01T00:00:00Z'),
    };
    const { stores, acceptances } = fakes(
      [check({ comparison: comparison([lodash, lodash, finding('GHSA-4444-5555-6666', 'minimist')]) })],
      [REPO],
      [alreadyInForce],
    );

    await useCase().executeIn(stores, command());

    expect(acceptances.map((a) => a.id)).toEqual(['old', expect.stringMatching(/^id-/)]);
    const again = await useCase().executeIn(stores, command({ deliveryId: 'd-2' }));
    expect(again).toMatchObject({ handled: false, outcome: 'nothing left to accept' });
    expect(again.checks).toBeUndefined();
    expect(acceptances).toHaveLength(2);
  });

  it.each([
    ['an unknown repository', command({ githubRepoId: '999' }), 'repository not connected'],
    ['a run RepoGuard did not publish', command({ checkRunId: '1234' }), 'not a check run of RepoGuard'],
    [
      'another head than the check’s',
      command({ headSha: 'c'.repeat(40) }),
      'check run does not match its check',
    ],
    [
      'another external id',
      command({ externalId: 'check-of-someone-else' }),
      'check run does not match its check',
    ],
  ])('changes nothing for %s', async (_what, forged, reason) => {
    const { stores, audited, acceptances, requested } = fakes([check()]);

    const outcome = await useCase().executeIn(stores, forged);

    expect(outcome).toEqual({ handled: false, outcome: reason, scans: [] });
    expect([audited, acceptances, requested]).toEqual([[], [], []]);
  });

  it('changes nothing for a check without a result, nor on a disabled repository', async () => {
    const pending = fakes([check({ comparison: null, state: 'in_progress' })]);
    expect(await useCase().executeIn(pending.stores, command())).toMatchObject({
      handled: false,
      outcome: 'the check has no result yet',
    });
    const disabled = fakes([check()], [{ ...REPO, disabledAt: new Date(NOW), disabledReason: 'archived' }]);
    expect(await useCase().executeIn(disabled.stores, command())).toMatchObject({ handled: false });
    expect([...pending.acceptances, ...disabled.acceptances]).toEqual([]);
  });

  it('changes nothing on the run of a head the pull request no longer has as its newest', async () => {
    const newer = check({
      id: 'check-2',
      headSha: 'c'.repeat(40),
      checkRunId: '9002',
      headAt: new Date('2026-12-11T09:30:00Z'),
    });
    const { stores, audited, acceptances, requested } = fakes([check(), newer]);

    const outcome = await useCase().executeIn(stores, command());

    expect(outcome).toEqual({
      handled: false,
      outcome: 'not the newest head of the pull request: only its check is checked again',
      scans: [],
    });
    expect([audited, acceptances, requested]).toEqual([[], [], []]);
  });

  it('finds the check on the org that published it when two orgs connected the repository', async () => {
    const other: Repository = { ...REPO, id: 'repo-2', orgId: 'org-b' };
    const { stores, acceptances } = fakes(
      [check({ id: 'check-b', repoId: 'repo-2', orgId: 'org-b' })],
      [REPO, other],
    );

    await useCase().executeIn(stores, command({ externalId: 'check-b' }));

    expect(new Set(acceptances.map((a) => `${a.orgId}/${a.repoId}`))).toEqual(new Set(['org-b/repo-2']));
  });
});
