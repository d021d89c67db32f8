import {
  COMPLETE,
  ConflictError,
  NotFoundError,
  snapshotCompleteness,
  ValidationError,
  type PolicyVersionRepository,
  type RepoRepository,
  type Repository,
  type ScannedState,
  type ScannedStateReader,
} from '@repoguard/domain';
import { currentFinding } from '../testing/current-finding-fixtures';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import type { OrgCaller } from '../shared/caller';
import { EvaluateRepoPolicy } from './evaluate-repo-policy.use-case';

const ORG = '11111111-1111-4111-8111-111111111111';
const REPO = '22222222-2222-4222-8222-222222222222';
const caller: OrgCaller = {
  scope: { orgIds: [ORG] },
  actor: { actorType: 'user', actorId: 'u-1', correlationId: null, ip: null },
  orgId: ORG,
  role: 'viewer',
};

function setUp(options: { scanned?: ScannedState | null; savedRules?: object; repoOrg?: string } = {}) {
  const repositories = {
    get: (id: string) =>
      Promise.resolve(id === REPO ? ({ id: REPO, orgId: options.repoOrg ?? ORG } as Repository) : null),
  } as unknown as RepoRepository;
  const policies = {
    latest: () =>
      Promise.resolve(
        options.savedRules
          ? { orgId: ORG, version: 3, rules: options.savedRules, createdBy: null, createdAt: new Date() }
          : null,
      ),
  } as unknown as PolicyVersionRepository;
  const scannedState: ScannedStateReader = {
    lastScanned: () =>
      Promise.resolve(
        options.scanned === undefined
          ? {
              snapshotId: 'snap-1',
              findings: [currentFinding('HIGH')],
              dependencies: [],
              completeness: COMPLETE,
            }
          : options.scanned,
      ),
  };
  const uow = new FakeUnitOfWork({ repositories, policies, scannedState });
  return new EvaluateRepoPolicy(uow, fixedClock('2026-12-04T12:00:00Z'));
}

describe('EvaluateRepoPolicy', () => {
  it('judges the last scan with the default policy when none was saved: HIGH fails', async () => {
    const evaluation = await setUp().execute({ caller, repoId: REPO });
    expect(evaluation).toMatchObject({
      repoId: REPO,
      status: 'FAIL',
      policyVersion: null,
      dryRun: false,
      snapshotId: 'snap-1',
    });
    expect(evaluation.reasons.length).toBeGreaterThan(0);
  });

  it('uses the saved version, and a dry run uses the given rules instead', async () => {
    const lenient = { fail_on_severity: 'CRITICAL', warn_on_severity: 'CRITICAL' };
    const saved = await setUp({ savedRules: lenient }).execute({ caller, repoId: REPO });
    expect(saved).toMatchObject({ status: 'OK', policyVersion: 3, dryRun: false });
    const dryRun = await setUp({ savedRules: lenient }).execute({
      caller,
      repoId: REPO,
      rulesJson: JSON.stringify({ fail_on_severity: 'HIGH' }),
    });
    expect(dryRun).toMatchObject({ status: 'FAIL', policyVersion: null, dryRun: true });
  });

  it('judges what the last scan could not read too: no manifest is never OK', async () => {
    const scanned: ScannedState = {
      snapshotId: 'snap-2',
      findings: [],
      dependencies: [],
      completeness: snapshotCompleteness([]),
    };
    const live = await setUp({ scanned }).execute({ caller, repoId: REPO });
    expect(live).toMatchObject({
      status: 'WARN',
      reasons: [expect.objectContaining({ rule: 'incomplete' })],
    });
    const strict = await setUp({ scanned }).execute({
      caller,
      repoId: REPO,
      rulesJson: JSON.stringify({ fail_on_incomplete: true }),
    });
    expect(strict).toMatchObject({
      status: 'FAIL',
      reasons: [expect.objectContaining({ rule: 'fail_on_incomplete' })],
    });
  });

  it('answers REPO_NOT_SCANNED before any scan completed, and REPO_NOT_FOUND for another org’s repo', async () => {
    await expect(setUp({ scanned: null }).execute({ caller, repoId: REPO })).rejects.toMatchObject({
      code: 'REPO_NOT_SCANNED',
    });
    await expect(setUp({ scanned: null }).execute({ caller, repoId: REPO })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(setUp({ repoOrg: 'another-org' }).execute({ caller, repoId: REPO })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('names the rules field when the dry-run rules are not JSON or not a policy', async () => {
    for (const rulesJson of ['{not json', JSON.stringify({ fail_on_severity: 'SEVERE' })]) {
      const refused = setUp().execute({ caller, repoId: REPO, rulesJson });
      await expect(refused).rejects.toBeInstanceOf(ValidationError);
      await expect(refused).rejects.toMatchObject({
        details: [expect.objectContaining({ field: expect.stringMatching(/^rules/) })],
      });
    }
  });
});
