import {
  COMPLETE,
  ValidationError,
  type CurrentFinding,
  type PolicyVersionRepository,
  type RepoRepository,
  type Repository,
  type RepoStatus,
  type ScannedState,
  type ScannedStateReader,
} from '@repoguard/domain';
import { currentFinding } from '../testing/current-finding-fixtures';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import type { OrgCaller } from '../shared/caller';
import { DryRunPolicy } from './dry-run-policy.use-case';

const ORG = '11111111-1111-4111-8111-111111111111';
const caller: OrgCaller = {
  scope: { orgIds: [ORG] },
  actor: { actorType: 'user', actorId: 'u-1', correlationId: null, ip: null },
  orgId: ORG,
  role: 'viewer',
};

const finding = (severity: CurrentFinding['severity'], ignoredUntil?: Date): CurrentFinding =>
  ignoredUntil
    ? { ...currentFinding(severity), status: 'ignored', triageExpiresAt: ignoredUntil }
    : currentFinding(severity);

const repo = (n: number, status: RepoStatus): Repository =>
  ({ id: `repo-${n}`, orgId: ORG, owner: 'acme', name: `r${n}`, status }) as Repository;

/**
 * `count` repositories: each even one FAIL with a HIGH finding, each odd one never scanned. The
 * saved rules fail on HIGH; `stored` overrides a repository's stored status.
 */
function setUp(
  count: number,
  findings: (n: number) => CurrentFinding[] = () => [finding('HIGH')],
  stored: (n: number) => RepoStatus | undefined = () => undefined,
  hasSaved = true,
) {
  const repos = Array.from({ length: count }, (_, n) =>
    repo(n, stored(n) ?? (n % 2 === 0 ? 'FAIL' : 'PENDING')),
  );
  const pagesRead: number[] = [];
  const repositories = {
    list: (orgId: string, _filter: object, page: { limit: number; offset: number }) => {
      pagesRead.push(page.offset);
      const mine = repos.filter((r) => r.orgId === orgId);
      return Promise.resolve({
        items: mine.slice(page.offset, page.offset + page.limit),
        total: mine.length,
      });
    },
  } as unknown as RepoRepository;
  const saved: object[] = [];
  const policies = {
    latest: () =>
      Promise.resolve(
        hasSaved
          ? {
              orgId: ORG,
              version: 7,
              rules: { schema_version: 1, fail_on_severity: 'HIGH' },
              createdBy: null,
              createdAt: new Date(),
            }
          : null,
      ),
    add: (p: object) => saved.push(p),
  } as unknown as PolicyVersionRepository;
  const scannedState: ScannedStateReader = {
    lastScanned: (id: string): Promise<ScannedState | null> => {
      const n = Number(id.slice('repo-'.length));
      return Promise.resolve(
        n % 2 === 1
          ? null
          : { snapshotId: `snap-${n}`, findings: findings(n), dependencies: [], completeness: COMPLETE },
      );
    },
  };
  const uow = new FakeUnitOfWork({ repositories, policies, scannedState });
  return { useCase: new DryRunPolicy(uow, fixedClock('2026-12-04T12:00:00Z')), uow, pagesRead, saved };
}

describe('DryRunPolicy', () => {
  it('judges every repository under the rules tried, page after page, and saves nothing', async () => {
    const { useCase, uow, pagesRead, saved } = setUp(205);
    const run = await useCase.execute({ caller, rules: { fail_on_severity: 'critical' } });

    expect(pagesRead).toEqual([0, 100, 200]);
    expect(run.repositories).toHaveLength(205);
    expect(run.currentVersion).toBe(7);
    expect(run.rules).toEqual({ schema_version: 1, fail_on_severity: 'CRITICAL' });
    const scanned = run.repositories[0]!;
    expect(scanned).toMatchObject({
      currentStatus: 'FAIL',
      status: 'OK',
      judged: true,
      snapshotId: 'snap-0',
    });
    // Never scanned: nothing to judge, so saving would leave it as it is.
    expect(run.repositories[1]).toMatchObject({
      currentStatus: 'PENDING',
      status: 'PENDING',
      judged: false,
      reasons: [],
      snapshotId: null,
    });
    expect([saved, uow.audited, uow.notified]).toEqual([[], [], []]);
  });

  it('gives the reasons of the rules tried, and counts an ignore past its expiry as open', async () => {
    const lapsed = new Date('2026-12-01T00:00:00Z');
    const inForce = new Date('2027-01-01T00:00:00Z');
    const { useCase } = setUp(3, (n) => [finding('MEDIUM', n === 0 ? lapsed : inForce)]);
    const run = await useCase.execute({ caller, rules: { warn_on_severity: 'MEDIUM' } });
    expect(run.repositories[0]).toMatchObject({
      status: 'WARN',
      reasons: [expect.objectContaining({ rule: 'warn_on_severity', status: 'WARN' })],
    });
    expect(run.repositories[2]).toMatchObject({ status: 'OK', reasons: [] });
  });

  it('refuses rules UpdatePolicy would refuse, naming each one, before reading anything', async () => {
    const { useCase, pagesRead } = setUp(2);
    const refused = useCase.execute({
      caller,
      rules: { fail_on_severity: 'SEVERE', ignore: [{ id: 'GHSA-x' }], nope: 1 },
    });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      code: 'POLICY_INVALID',
      details: expect.arrayContaining([
        expect.objectContaining({ field: 'rules.fail_on_severity' }),
        expect.objectContaining({ field: 'rules.ignore[0].reason' }),
        expect.objectContaining({ field: 'rules.nope' }),
      ]),
    });
    for (const rules of [null, 'strict', [], 42]) {
      await expect(useCase.execute({ caller, rules })).rejects.toMatchObject({
        code: 'POLICY_INVALID',
        details: [expect.objectContaining({ field: 'rules' })],
      });
    }
    expect(pagesRead).toEqual([]);
  });

  it('compares with what the saved rules give the same scan now, not with a stored status an ignore has since outlived', async () => {
    // Stored OK while a HIGH finding was ignored; the ignore lapsed on 1 December, no scan since.
    const lapsed = new Date('2026-12-01T00:00:00Z');
    const { useCase } = setUp(
      1,
      () => [finding('HIGH', lapsed)],
      () => 'OK',
    );
    const same = await useCase.execute({ caller, rules: { schema_version: 1, fail_on_severity: 'HIGH' } });
    // Trying the saved rules again changes nothing: the FAIL is the lapse's, not the rules'.
    expect(same.repositories[0]).toMatchObject({ currentStatus: 'FAIL', status: 'FAIL', judged: true });
    const lenient = await useCase.execute({ caller, rules: { fail_on_severity: 'CRITICAL' } });
    expect(lenient.repositories[0]).toMatchObject({ currentStatus: 'FAIL', status: 'OK' });
  });

  it('judges the current status under the default policy while the org has saved none', async () => {
    const { useCase } = setUp(
      1,
      () => [finding('MEDIUM')],
      () => 'OK',
      false,
    );
    const run = await useCase.execute({ caller, rules: { fail_on_severity: 'CRITICAL' } });
    expect(run.currentVersion).toBeNull();
    // The default warns on MEDIUM; the rules tried do not.
    expect(run.repositories[0]).toMatchObject({ currentStatus: 'WARN', status: 'OK' });
  });
});
