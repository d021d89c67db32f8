import { ApplicationFailure } from '@temporalio/common';
import {
  comparePullRequestFindings,
  DEFAULT_POLICY,
  dedupeDependencies,
  describeVulnerabilities,
  fixedVersionsFor,
  lowestFixAbove,
  mapBounded,
  selectManifestPaths,
  snapshotCompleteness,
  ValidationError,
  type ManifestDiagnostic,
  type ManifestParserPool,
  type ManifestReader,
  type ManifestSource,
  type OsvRecord,
  type ParsedDependency,
  type PolicyRepository,
  type PullRequestCheckRecord,
  type PullRequestCheckRepository,
  type PullRequestComparison,
  type PullRequestFinding,
  type RiskAcceptanceRepository,
  type ScanRepository,
  type SnapshotManifestRecord,
  type SnapshotRepository,
  type TreeBlob,
  type VulnerabilityCache,
  type VulnerabilityDatabase,
} from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { ScanLimits } from '../scan/scan-activity.types';
import type { PullRequestCheckStepInput, PullRequestCheckSummary } from './pull-request-check-activity.types';

export interface ComparePullRequestDeps {
  readonly manifestSource: ManifestSource;
  readonly parserPool: ManifestParserPool;
  readonly vulnerabilityDatabase: VulnerabilityDatabase;
  readonly vulnerabilityCache: VulnerabilityCache;
  readonly scans: Pick<ScanRepository, 'latestCompletedSnapshot'>;
  readonly snapshots: Pick<SnapshotRepository, 'manifests' | 'dependencies'>;
  readonly policies: PolicyRepository;
  readonly riskAcceptances: RiskAcceptanceRepository;
  readonly pullRequestChecks: PullRequestCheckRepository;
  readonly limits: ScanLimits;
  readonly now: () => Date;
}

/** A manifest of one side: its path, blob and size (size unknown for a stored snapshot's). */
interface SideManifest {
  readonly path: string;
  readonly blobSha: string;
  readonly size: number | null;
}

interface Side {
  readonly commitSha: string;
  readonly scanId: string | null;
  readonly manifests: ReadonlyMap<string, SideManifest>;
  /** The dependencies of these manifests (all of them changed), with what could not be read. */
  read(paths: readonly string[]): Promise<ParsedSide>;
}

interface ParsedSide {
  readonly dependencies: readonly ParsedDependency[];
  readonly manifests: readonly Pick<SnapshotManifestRecord, 'path' | 'diagnostics'>[];
}

const decoder = new TextDecoder('utf-8');

function manifestsOf(tree: readonly TreeBlob[]): Map<string, SideManifest> {
  const byPath = new Map(tree.map((blob) => [blob.path, blob]));
  return new Map(
    selectManifestPaths(tree.map((b) => b.path)).flatMap(({ path }) => {
      const blob = byPath.get(path);
      return blob ? [[path, { path, blobSha: blob.sha, size: blob.size }] as const] : [];
    }),
  );
}

/**
 * Compares a pull request's head with its base on the manifests it changes, and judges what it
 * adds with the org's policy. The base is the merge base (see baseOf). Blob SHAs say which manifests changed: when none did, nothing is fetched or parsed. Both
 * sides are matched now against the advisory database the scans use, so an advisory published
 * since the base scan is not called introduced. The comparison is stored on the check row; the
 * workflow gets counts only.
 */
export function createComparePullRequestActivity(deps: ComparePullRequestDeps) {
  return async function comparePullRequest(
    input: PullRequestCheckStepInput,
  ): Promise<PullRequestCheckSummary> {
    return asActivity(async (cancelled, step) => {
      const check = await deps.pullRequestChecks.get(input.checkId);
      if (!check) throw ApplicationFailure.nonRetryable(`no check ${input.checkId}`, 'PR_CHECK_NOT_FOUND');
      const reader = await deps.manifestSource.forRepository({
        owner: input.owner,
        name: input.name,
        orgId: input.orgId,
        repoId: input.repoId,
      });
      // Asked of the base repository: a fork's head is there too (GitHub's pull refs); the fork
      // itself is never read.
      const head = await reader.resolveCommit(check.headSha);
      const headManifests = manifestsOf(await reader.listTree(head.sha));
      const base = await baseOf(deps, input, check, reader, head.sha, cancelled);
      const changed = [...new Set([...headManifests.keys(), ...base.manifests.keys()])]
        .filter((path) => headManifests.get(path)?.blobSha !== base.manifests.get(path)?.blobSha)
        .sort();

      const comparison =
        changed.length === 0
          ? emptyComparison(base, head.sha)
          : await compareChanged(deps, input, {
              base,
              headSha: head.sha,
              headSide: parsingSide(deps, reader, head.sha, headManifests, 'unread', cancelled),
              changed,
            });
      step.stopIfCancelled();
      await deps.pullRequestChecks.saveComparison(check.id, comparison);
      return {
        status: comparison.status,
        manifestsChanged: comparison.manifestsChanged.length,
        introduced: comparison.introduced.length,
        resolved: comparison.resolved.length,
        accepted: comparison.accepted.length,
      };
    });
  };
}

const emptyComparison = (base: Side, headSha: string): PullRequestComparison => ({
  baseCommitSha: base.commitSha,
  headCommitSha: headSha,
  baseScanId: base.scanId,
  manifestsChanged: [],
  introduced: [],
  resolved: [],
  accepted: [],
  status: 'OK',
  reasons: [],
  incomplete: [],
});

/**
 * The base side: the merge base of the base branch's tip and the head (where the head left the
 * branch), so what the base branch did since is neither introduced nor resolved by the pull
 * request. Its manifests come from a completed default-branch scan of that very commit when there
 * is one (its stored snapshot, not parsed again), else from git now. A reader that cannot find
 * merge bases (or commits without a common ancestor) compares with the base tip.
 */
async function baseOf(
  deps: ComparePullRequestDeps,
  input: PullRequestCheckStepInput,
  check: PullRequestCheckRecord,
  reader: ManifestReader,
  headSha: string,
  cancelled: AbortSignal | undefined,
): Promise<Side> {
  const tip = await reader.resolveCommit(check.baseSha ?? check.baseRef);
  const mergeBase = (reader.mergeBase ? await reader.mergeBase(tip.sha, headSha) : null) ?? tip.sha;
  const stored =
    input.defaultBranch !== undefined && check.baseRef === input.defaultBranch
      ? await deps.scans.latestCompletedSnapshot(input.repoId, {
          defaultBranch: input.defaultBranch,
          commitSha: mergeBase,
        })
      : null;
  if (stored) {
    const manifests = await deps.snapshots.manifests(stored.snapshotId);
    return {
      commitSha: stored.commitSha,
      scanId: stored.scanId ?? null,
      manifests: new Map(manifests.map((m) => [m.path, { path: m.path, blobSha: m.blobSha, size: null }])),
      // The scan's own reading of them: its snapshot, not parsed again.
      read: async (paths) => {
        const wanted = new Set(paths);
        const dependencies = (await deps.snapshots.dependencies(stored.snapshotId)).filter((d) =>
          wanted.has(d.manifestPath),
        );
        return { dependencies, manifests: manifests.filter((m) => wanted.has(m.path)) };
      },
    };
  }
  const manifests = manifestsOf(await reader.listTree(mergeBase));
  return parsingSide(deps, reader, mergeBase, manifests, 'refuse', cancelled);
}

/**
 * What the scan's limits let a check read of these manifests (checked before anything is
 * downloaded): each at most maxManifestBytes, together at most maxScanBytes, in path order; the
 * rest with the diagnostic that says why not.
 */
function withinLimits(
  present: readonly SideManifest[],
  limits: ScanLimits,
): { readable: SideManifest[]; unread: Map<string, ManifestDiagnostic> } {
  const readable: SideManifest[] = [];
  const unread = new Map<string, ManifestDiagnostic>();
  let total = 0;
  for (const m of present) {
    const size = m.size ?? 0;
    const problem =
      size > limits.maxManifestBytes
        ? `${m.path} is ${size} bytes; manifests larger than ${limits.maxManifestBytes} bytes are not scanned`
        : total + size > limits.maxScanBytes
          ? `the changed manifests add up to more than the ${limits.maxScanBytes} bytes a check reads`
          : null;
    if (problem === null) {
      readable.push(m);
      total += size;
    } else unread.set(m.path, { severity: 'error', code: 'MANIFEST_TOO_LARGE', message: problem });
  }
  return { readable, unread };
}

/**
 * A side read from git now: only the manifests asked for are fetched and parsed. Manifests past
 * the limits fail the check on the base side (`refuse`); on the head (`unread`) they are manifests
 * not read in full, judged by the policy like a scan's (WARN, or FAIL with fail_on_incomplete):
 * whoever writes the head must not be able to turn a verdict into an error by padding a file.
 */
function parsingSide(
  deps: ComparePullRequestDeps,
  reader: ManifestReader,
  commitSha: string,
  manifests: ReadonlyMap<string, SideManifest>,
  overLimits: 'refuse' | 'unread',
  cancelled: AbortSignal | undefined,
): Side {
  return {
    commitSha,
    scanId: null,
    manifests,
    read: async (paths) => {
      const present = paths.flatMap((p) => manifests.get(p) ?? []);
      const { readable, unread } = withinLimits(present, deps.limits);
      const [refused] = overLimits === 'refuse' ? unread : [];
      if (refused) {
        throw new ValidationError(
          refused[1].message,
          [{ field: refused[0], problem: 'too large' }],
          'MANIFEST_TOO_LARGE',
        );
      }
      const files = [];
      for (const m of readable)
        files.push({ path: m.path, text: decoder.decode(await reader.readBlob(m.blobSha)) });
      const texts = new Map(files.map((f) => [f.path, f.text]));
      const parsed = await deps.parserPool.parseAll(files, {
        readInclude: (path) => texts.get(path),
        ...(cancelled ? { signal: cancelled } : {}),
      });
      const diagnostics = new Map(readable.map((m, i) => [m.path, parsed[i]?.diagnostics ?? []]));
      const { dependencies } = dedupeDependencies(parsed.flatMap((r) => r.dependencies));
      return {
        dependencies,
        manifests: present.map((m) => ({
          path: m.path,
          diagnostics: unread.has(m.path) ? [unread.get(m.path)!] : (diagnostics.get(m.path) ?? []),
        })),
      };
    },
  };
}

async function compareChanged(
  deps: ComparePullRequestDeps,
  input: PullRequestCheckStepInput,
  sides: { base: Side; headSha: string; headSide: Side; changed: readonly string[] },
): Promise<PullRequestComparison> {
  const { base, headSide, changed } = sides;
  const [baseRead, headRead] = [
    await base.read(changed.filter((p) => base.manifests.has(p))),
    await headSide.read(changed.filter((p) => headSide.manifests.has(p))),
  ];
  const findings = await matchBoth(deps, [baseRead.dependencies, headRead.dependencies]);
  const completeness = snapshotCompleteness(headRead.manifests);
  const policy = await deps.policies.current(input.orgId);
  const now = deps.now();
  const verdict = comparePullRequestFindings({
    base: findings[0]!,
    head: findings[1]!,
    acceptances: await deps.riskAcceptances.inForce(input.repoId, now),
    rules: policy?.rules ?? DEFAULT_POLICY,
    headDependencies: headRead.dependencies,
    // A pull request that removes every manifest it touched read nothing: that is no gap.
    completeness: headRead.manifests.length === 0 ? { complete: true, diagnostics: [] } : completeness,
    now,
  });
  return {
    baseCommitSha: base.commitSha,
    headCommitSha: sides.headSha,
    baseScanId: base.scanId,
    manifestsChanged: [...changed],
    ...verdict,
    incomplete: [...new Set(completeness.diagnostics.flatMap((d) => (d.path ? [d.path] : [])))],
  };
}

/** Both sides' findings, from one round of questions to the advisory database. */
async function matchBoth(
  deps: ComparePullRequestDeps,
  sides: readonly (readonly ParsedDependency[])[],
): Promise<PullRequestFinding[][]> {
  const key = (d: { ecosystem: string; name: string; version: string | null }) =>
    `${d.ecosystem}\u0000${d.name}\u0000${d.version}`;
  const pinned = [
    ...new Map(
      sides
        .flat()
        .filter((d) => d.version !== null)
        .map((d) => [key(d), d]),
    ).values(),
  ];
  const answers = pinned.length
    ? await deps.vulnerabilityDatabase.queryBatch(
        pinned.map((d) => ({ ecosystem: d.ecosystem, name: d.name, version: d.version! })),
        { fresh: true },
      )
    : [];
  const idsByKey = new Map(pinned.map((d, i) => [key(d), (answers[i] ?? []).map((r) => r.id)]));
  const records = await recordsOf(deps, answers.flat());
  return sides.map((dependencies) =>
    dependencies.flatMap((d) => {
      if (d.version === null) return [];
      const found = (idsByKey.get(key(d)) ?? []).flatMap((id) => records.get(id) ?? []);
      return describeVulnerabilities(
        d.ecosystem,
        d.name,
        d.version,
        found.map((record) => ({ record, fixedVersions: fixedVersionsFor(record, d) })),
      ).map((v): PullRequestFinding => ({
        vulnerabilityId: v.vulnerabilityId,
        aliases: v.aliases,
        summary: v.summary,
        severity: v.severity.severity,
        ecosystem: d.ecosystem,
        packageName: d.name,
        version: d.version!,
        manifestPath: d.manifestPath,
        line: d.line ?? null,
        fixedIn: lowestFixAbove(d.ecosystem, d.version!, v.fixedVersions),
        direct: d.direct,
      }));
    }),
  );
}

/** The advisories' records: from the cache when current, else from the database (and cached). */
async function recordsOf(
  deps: ComparePullRequestDeps,
  refs: readonly { id: string; modified: string }[],
): Promise<Map<string, OsvRecord>> {
  const latest = new Map(refs.map((r) => [r.id, r.modified]));
  if (latest.size === 0) return new Map();
  const cached = await deps.vulnerabilityCache.modified([...latest.keys()]);
  const stale = [...latest].filter(([id, modified]) => {
    const have = cached.get(id);
    return have === undefined || Date.parse(have) < Date.parse(modified);
  });
  const fetched = await mapBounded(stale, 8, ([id]) => deps.vulnerabilityDatabase.getVulnerability(id));
  await deps.vulnerabilityCache.upsert(fetched);
  return deps.vulnerabilityCache.get([...latest.keys()]);
}
