import {
  DEFAULT_POLICY,
  parseManifest,
  type ManifestReader,
  type OsvRecord,
  type PullRequestCheckRecord,
  type PullRequestCheckRepository,
  type PullRequestComparison,
  type StoredDependency,
  type TreeBlob,
} from '@repoguard/domain';
import { DEFAULT_SCAN_LIMITS } from '../scan/scan-activity.types';
import {
  createComparePullRequestActivity,
  type ComparePullRequestDeps,
} from './compare-pull-request.activity';

const BASE = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);
const ADVISORY: OsvRecord = {
  id: 'GHSA-test',
  modified: '2026-11-01T00:00:00Z',
  summary: 'bad',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'requests' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.20.0' }] }],
    },
  ],
  database_specific: { severity: 'HIGH' },
};

/** A repository of two commits, counting what is read of it. */
function git(trees: Record<string, Record<string, string>>) {
  const reads: string[] = [];
  const blobs = new Map<string, string>();
  const treeOf = (sha: string): TreeBlob[] =>
    Object.entries(trees[sha] ?? {}).map(([path, text]) => {
      const blobSha = `${path}:${text}`;
      blobs.set(blobSha, text);
      return { path, sha: blobSha, size: text.length };
    });
  const reader: ManifestReader = {
    resolveCommit: async (ref) => ({ sha: ref!, ref: ref! }),
    listTree: async (sha) => {
      reads.push(`tree:${sha.slice(0, 1)}`);
      return treeOf(sha);
    },
    readBlob: async (sha) => {
      reads.push(`blob:${sha}`);
      return new TextEncoder().encode(blobs.get(sha)!);
    },
  };
  return { reader, reads };
}

function deps(
  reader: ManifestReader,
  base: { manifests: { path: string; blobSha: string }[]; dependencies: StoredDependency[] } | null,
) {
  const parsed: string[] = [];
  let saved: PullRequestComparison | null = null;
  const check: PullRequestCheckRecord = {
    id: 'check-1',
    orgId: 'o',
    repoId: 'r',
    prNumber: 1,
    headSha: HEAD,
    baseRef: 'main',
    baseSha: BASE,
    state: 'in_progress',
    conclusion: null,
    delivery: null,
    checkRunId: null,
    comparison: null,
    errorCode: null,
    requestedBy: 'test',
    requestedAt: new Date(),
    headAt: new Date(),
    createdAt: new Date(),
    completedAt: null,
  };
  const cache = new Map<string, OsvRecord>();
  const d: ComparePullRequestDeps = {
    manifestSource: { forRepository: async () => reader },
    parserPool: {
      parseAll: async (files) => {
        parsed.push(...files.map((f) => f.path));
        return files.map((f) => parseManifest(f.path, f.text));
      },
    },
    vulnerabilityDatabase: {
      queryBatch: async (queries) =>
        queries.map((q) =>
          q.name === 'requests' && q.version < '2.20.0'
            ? [{ id: ADVISORY.id, modified: ADVISORY.modified }]
            : [],
        ),
      getVulnerability: async () => ADVISORY,
      withdrawn: async () => new Set(),
    },
    vulnerabilityCache: {
      modified: async (ids) =>
        new Map(ids.flatMap((id) => (cache.has(id) ? [[id, cache.get(id)!.modified]] : []))),
      upsert: async (records) => records.forEach((r) => cache.set(r.id, r)),
      get: async (ids) => new Map(ids.flatMap((id) => (cache.has(id) ? [[id, cache.get(id)!]] : []))),
    },
    scans: {
      // The stored scan is of the base tip, and of the default branch.
      latestCompletedSnapshot: async (_repoId, only) =>
        base && only?.defaultBranch === 'main' && (only.commitSha ?? BASE) === BASE
          ? { snapshotId: 's1', commitSha: BASE, scanId: 'scan-1' }
          : null,
    },
    snapshots: {
      manifests: async () => (base?.manifests ?? []).map((m) => ({ ...m, parserId: 'x', diagnostics: [] })),
      dependencies: async () => base?.dependencies ?? [],
    },
    policies: { current: async () => null },
    riskAcceptances: { accept: async () => undefined as never, inForce: async () => [] },
    pullRequestChecks: {
      get: async () => check,
      saveComparison: async (_id: string, comparison: PullRequestComparison) => {
        saved = comparison;
      },
    } as unknown as PullRequestCheckRepository,
    limits: DEFAULT_SCAN_LIMITS,
    now: () => new Date('2026-12-05T00:00:00Z'),
  };
  return { deps: d, parsed, saved: () => saved };
}

const input = {
  orgId: 'o',
  repoId: 'r',
  owner: 'acme',
  name: 'api',
  prNumber: 1,
  defaultBranch: 'main',
  checkId: 'check-1',
  headSha: HEAD,
  requestedAt: new Date().toISOString(),
};

describe('comparePullRequest', () => {
  it('fetches and parses nothing when no manifest changed: OK, empty', async () => {
    const requirements = 'requests==2.19.0\n';
    const { reader, reads } = git({ [HEAD]: { 'requirements.txt': requirements, 'README.md': 'changed' } });
    const {
      deps: d,
      parsed,
      saved,
    } = deps(reader, {
      manifests: [{ path: 'requirements.txt', blobSha: `requirements.txt:${requirements}` }],
      dependencies: [],
    });
    const summary = await createComparePullRequestActivity(d)(input);
    expect(summary).toEqual({ status: 'OK', manifestsChanged: 0, introduced: 0, resolved: 0, accepted: 0 });
    expect(reads).toEqual(['tree:c']);
    expect(parsed).toEqual([]);
    expect(saved()).toMatchObject({ baseScanId: 'scan-1', baseCommitSha: BASE, manifestsChanged: [] });
  });

  it('parses only the changed head manifest and compares it with the stored snapshot', async () => {
    const { reader, reads } = git({
      [HEAD]: {
        'requirements.txt': 'flask==2.0.0\nrequests==2.19.0\n',
        'web/requirements.txt': 'six==1.0.0\n',
      },
    });
    const {
      deps: d,
      parsed,
      saved,
    } = deps(reader, {
      manifests: [
        { path: 'requirements.txt', blobSha: 'old' },
        { path: 'web/requirements.txt', blobSha: 'web/requirements.txt:six==1.0.0\n' },
      ],
      dependencies: [
        {
          id: 'd1',
          purl: 'pkg:pypi/requests@2.20.0',
          ecosystem: 'PyPI',
          name: 'requests',
          version: '2.20.0',
          scope: 'runtime',
          direct: true,
          manifestPath: 'requirements.txt',
        },
      ],
    });
    const summary = await createComparePullRequestActivity(d)(input);
    expect(summary).toMatchObject({ status: 'FAIL', manifestsChanged: 1, introduced: 1 });
    expect(parsed).toEqual(['requirements.txt']);
    expect(reads.filter((r) => r.startsWith('blob:'))).toEqual([
      'blob:requirements.txt:flask==2.0.0\nrequests==2.19.0\n',
    ]);
    expect(saved()!.introduced).toEqual([
      expect.objectContaining({ packageName: 'requests', version: '2.19.0', line: 2, fixedIn: '2.20.0' }),
    ]);
  });

  it('compares with the merge base when the base branch moved on, reading it as the stored scan is of the tip', async () => {
    const MERGE_BASE = 'd'.repeat(40);
    const { reader, reads } = git({
      [MERGE_BASE]: { 'requirements.txt': 'requests==2.19.0\n' },
      [HEAD]: { 'requirements.txt': 'requests==2.19.0\n', 'web/requirements.txt': 'requests==2.19.0\n' },
    });
    const merging: ManifestReader = {
      ...reader,
      mergeBase: async (base, head) => (base === BASE && head === HEAD ? MERGE_BASE : null),
    };
    // The stored scan of the tip has requests upgraded: compared with it, the head would "introduce" it.
    const { deps: d, saved } = deps(merging, {
      manifests: [{ path: 'requirements.txt', blobSha: 'upgraded' }],
      dependencies: [],
    });

    const summary = await createComparePullRequestActivity(d)(input);

    expect(saved()).toMatchObject({
      baseCommitSha: MERGE_BASE,
      baseScanId: null,
      manifestsChanged: ['web/requirements.txt'],
    });
    expect(summary).toMatchObject({ introduced: 1, resolved: 0 });
    expect(saved()!.introduced).toEqual([expect.objectContaining({ manifestPath: 'web/requirements.txt' })]);
    expect(reads.filter((r) => r.startsWith('blob:'))).toEqual([
      'blob:web/requirements.txt:requests==2.19.0\n',
    ]);
  });

  it('reads the base commit when the pull request targets another branch', async () => {
    const { reader } = git({
      [BASE]: { 'requirements.txt': 'requests==2.19.0\n' },
      [HEAD]: { 'requirements.txt': 'requests==2.20.0\n' },
    });
    const { deps: d, saved } = deps(reader, null);
    const summary = await createComparePullRequestActivity(d)({ ...input, defaultBranch: 'develop' });
    expect(summary).toMatchObject({ status: 'OK', resolved: 1, introduced: 0 });
    expect(saved()).toMatchObject({ baseScanId: null, baseCommitSha: BASE });
  });

  it('judges a head manifest over the scan limit as not read in full, without reading it: WARN by default', async () => {
    // Padding a lock file past the limit must not turn a vulnerable head into a failed (neutral) check.
    const padded = `requests==2.19.0\n${'#'.repeat(200)}\n`;
    const { reader, reads } = git({
      [HEAD]: { 'requirements.txt': padded, 'web/requirements.txt': 'six==1.0.0\n' },
    });
    const { deps: d, saved } = deps(reader, { manifests: [], dependencies: [] });
    const activity = createComparePullRequestActivity({
      ...d,
      limits: { maxManifestBytes: 100, maxScanBytes: 1000 },
    });

    const summary = await activity(input);

    expect(summary).toMatchObject({ status: 'WARN', manifestsChanged: 2, introduced: 0 });
    expect(saved()!.incomplete).toEqual(['requirements.txt']);
    expect(saved()!.reasons).toEqual([expect.stringContaining('requirements.txt')]);
    expect(reads.filter((r) => r.startsWith('blob:'))).toEqual(['blob:web/requirements.txt:six==1.0.0\n']);
  });

  it('fails a head manifest over the limits, or broken, when the policy says fail_on_incomplete', async () => {
    const { reader } = git({
      [HEAD]: { 'requirements.txt': `${'#'.repeat(200)}\n`, 'Pipfile.lock': '{ not json' },
    });
    const { deps: d, saved } = deps(reader, { manifests: [], dependencies: [] });
    const activity = createComparePullRequestActivity({
      ...d,
      policies: {
        current: async () => ({ version: 2, rules: { ...DEFAULT_POLICY, fail_on_incomplete: true } }),
      },
      limits: { maxManifestBytes: 100, maxScanBytes: 1000 },
    });

    const summary = await activity(input);

    expect(summary).toMatchObject({ status: 'FAIL', manifestsChanged: 2 });
    expect(saved()!.incomplete).toEqual(['Pipfile.lock', 'requirements.txt']);
  });

  it('judges changed head manifests past the total read budget as not read in full', async () => {
    const { reader, reads } = git({
      [HEAD]: {
        'a/requirements.txt': `six==1.0.0\n${'#'.repeat(80)}\n`,
        'b/requirements.txt': `six==1.0.0\n${'#'.repeat(80)}\n`,
      },
    });
    const { deps: d, saved } = deps(reader, { manifests: [], dependencies: [] });
    const activity = createComparePullRequestActivity({
      ...d,
      limits: { maxManifestBytes: 100, maxScanBytes: 150 },
    });

    expect(await activity(input)).toMatchObject({ status: 'WARN' });
    expect(saved()!.incomplete).toEqual(['b/requirements.txt']);
    expect(reads.filter((r) => r.startsWith('blob:'))).toHaveLength(1);
  });
});
