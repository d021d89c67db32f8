import type {
  ListedFinding,
  RepoRepository,
  TriageableFinding,
  TriageDecision,
  VexAnalysis,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import type { ReevaluateRepositoryStatus } from '../repositories/reevaluate-repository-status.use-case';
import { ImportVex } from './import-vex.use-case';

const caller: Caller = {
  scope: { orgIds: ['org-1'] },
  actor: { actorType: 'user', actorId: 'u1', correlationId: null, ip: null },
};
const NOW = '2026-06-01T12:00:00.000Z';
const NOT_REACHABLE: VexAnalysis = {
  state: 'not_affected',
  justification: 'code_not_reachable',
  responses: [],
  detail: 'template() is never called',
};

/** One ignored lodash finding, decided as `analysis` until `expiresAt`. */
function setUp(analysis: VexAnalysis, expiresAt: Date | null) {
  const finding: TriageableFinding = {
    id: 'f1',
    orgId: 'org-1',
    repoId: 'r1',
    status: 'ignored',
    vulnerabilityId: 'GHSA-35jh-r3h4-6jhm',
    ecosystem: 'npm',
    packageName: 'lodash',
    version: '4.17.20',
    triageExpiresAt: expiresAt,
    analysis,
    decisionExpiresAt: expiresAt,
  };
  const listed = {
    id: 'f1',
    ecosystem: 'npm',
    packageName: 'lodash',
    version: '4.17.20',
    purl: 'pkg:npm/lodash@4.17.20',
    vulnerabilityId: 'GHSA-35jh-r3h4-6jhm',
    aliases: ['CVE-2021-23337'],
  } as ListedFinding;
  const decisions: TriageDecision[] = [];
  const judged: string[] = [];
  const uow = new FakeUnitOfWork({
    findingTriage: {
      get: (id) => Promise.resolve(id === 'f1' ? finding : null),
      decide: (_id, decision) => {
        decisions.push(decision);
        return Promise.resolve();
      },
      lapseExpiredIgnores: () => Promise.resolve([]),
    },
    repositories: {
      get: (id: string) => Promise.resolve(id === 'r1' ? { id, orgId: 'org-1' } : null),
      holdOutcome: () => Promise.resolve(),
    } as unknown as RepoRepository,
    findingQueries: {
      page: () => Promise.resolve({ items: [listed], total: 1, next: null }),
      search: () => Promise.reject(new Error('not used')),
      openCountsBySeverity: () => Promise.reject(new Error('not used')),
    },
  });
  // The repository's judging is ReevaluateRepositoryStatus's own spec's business: counted here.
  const reevaluate = {
    within: (_stores: unknown, { repoId }: { repoId: string }) => {
      judged.push(repoId);
      return Promise.resolve();
    },
  } as unknown as ReevaluateRepositoryStatus;
  return { decisions, judged, importVex: new ImportVex(uow, fixedClock(NOW), reevaluate) };
}

/** A CycloneDX VEX document with one statement, as the bytes of a request body. */
const cyclonedx = (analysis: Record<string, unknown>) =>
  new TextEncoder().encode(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      vulnerabilities: [{ id: 'CVE-2021-23337', analysis, affects: [{ ref: 'pkg:npm/lodash@4.17.20' }] }],
    }),
  );

describe('ImportVex', () => {
  it('keeps a time-boxed decision the document states again as it is: unchanged, its expiry kept', async () => {
    const { importVex, decisions, judged } = setUp(NOT_REACHABLE, new Date('2026-07-01T00:00:00.000Z'));
    const result = await importVex.execute({
      caller,
      repoId: 'r1',
      document: cyclonedx({
        state: 'not_affected',
        justification: 'code_not_reachable',
        detail: 'template() is never called',
      }),
    });
    expect(result).toMatchObject({ applied: 0, unchanged: 1, unmatched: 0 });
    expect(decisions).toEqual([]);
    expect(judged).toEqual([]);
  });

  it('replaces a time-boxed decision the document changes, with the document’s (no expiry)', async () => {
    const { importVex, decisions, judged } = setUp(NOT_REACHABLE, new Date('2026-07-01T00:00:00.000Z'));
    const result = await importVex.execute({
      caller,
      repoId: 'r1',
      document: cyclonedx({ state: 'resolved' }),
    });
    expect(result).toMatchObject({ applied: 1, unchanged: 0 });
    expect(decisions).toEqual([
      expect.objectContaining({
        status: 'ignored',
        expiresAt: null,
        analysis: expect.objectContaining({ state: 'resolved' }),
      }),
    ]);
    expect(judged).toEqual(['r1']);
  });
});
