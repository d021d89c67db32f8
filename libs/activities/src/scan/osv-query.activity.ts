import {
  mapBounded,
  type ScanRepository,
  type SnapshotRepository,
  type VulnerabilityCache,
  type VulnerabilityDatabase,
  type VulnerabilityRef,
} from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { OsvQueryInput } from './scan-activity.types';

/** Queries per call to the database (OSV's querybatch takes at most 1,000). */
export const OSV_QUERIES_PER_BATCH = 1_000;

/**
 * Answers kept in heartbeat details at most (about 60 bytes each): far below Temporal's 2 MB per
 * payload. Past it the progress says so (`found: null`) and a retry starts over.
 */
const MAX_RESUMABLE_REFS = 10_000;

/**
 * How far the querying got, in the step's heartbeat details: a retry over the same snapshot skips
 * the batches done and keeps their answers. Only non-empty answers are kept (most are empty).
 */
export interface OsvQueryProgress {
  /**
   * The snapshot matched. A re-match (rematchSnapshot) runs this step inside a longer activity whose
   * retry may open a newer snapshot: progress of another snapshot, or without this tag, is not resumed.
   */
  readonly snapshotId: string;
  readonly queries: number;
  readonly batchSize: number;
  readonly batchesDone: number;
  /** Null: too many to keep, the retry starts over. */
  readonly found: readonly (readonly [number, readonly VulnerabilityRef[]])[] | null;
}

type Resumable = OsvQueryProgress & { readonly found: NonNullable<OsvQueryProgress['found']> };

function resumable(
  details: unknown,
  snapshotId: string,
  queries: number,
  batchSize: number,
): Resumable | null {
  const progress = details as Partial<OsvQueryProgress> | undefined;
  if (!progress || progress.snapshotId !== snapshotId) return null;
  if (progress.queries !== queries || progress.batchSize !== batchSize) return null;
  if (typeof progress.batchesDone !== 'number' || !Array.isArray(progress.found)) return null;
  return progress as Resumable;
}

export interface OsvQueryDeps {
  readonly vulnerabilityDatabase: VulnerabilityDatabase;
  readonly vulnerabilityCache: VulnerabilityCache;
  readonly snapshots: SnapshotRepository;
  readonly scans: ScanRepository;
  /** Parallel detail fetches. */
  readonly concurrency?: number;
  readonly batchSize?: number;
}

/**
 * Asks the advisory database which advisories affect each pinned dependency, fetches the full
 * records only for ids not cached or changed since, and stores the answer with the snapshot.
 */
export function createOsvQueryActivity({
  vulnerabilityDatabase,
  vulnerabilityCache,
  snapshots,
  scans,
  concurrency = 8,
  batchSize = OSV_QUERIES_PER_BATCH,
}: OsvQueryDeps) {
  return async function osvQuery(
    input: OsvQueryInput,
  ): Promise<{ queried: number; vulnerabilities: number; fetched: number }> {
    return asActivity(
      async (_cancelled, step) => {
        const started = Date.now();
        step.stopIfCancelled();
        await scans.phase(input.scanId, 'MATCHING');
        const pinned = (await snapshots.dependencies(input.snapshotId)).filter((d) => d.version !== null);
        const queryKey = (d: { ecosystem: string; name: string; version: string | null }) =>
          `${d.ecosystem}\u0000${d.name}\u0000${d.version}`;
        // Sorted: every attempt over the snapshot splits the same queries into the same batches.
        const unique = [...new Map(pinned.map((d) => [queryKey(d), d])).entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([, d]) => d);
        const answers: VulnerabilityRef[][] = unique.map(() => []);
        const resumed = resumable(step.resumeFrom, input.snapshotId, unique.length, batchSize);
        for (const [index, refs] of resumed?.found ?? []) answers[index] = [...refs];
        const batches = Math.ceil(unique.length / batchSize);
        for (let batch = resumed?.batchesDone ?? 0; batch < batches; batch++) {
          const from = batch * batchSize;
          const slice = unique.slice(from, from + batchSize);
          const answered = await vulnerabilityDatabase.queryBatch(
            slice.map((d) => ({ ecosystem: d.ecosystem, name: d.name, version: d.version! })),
            { fresh: input.freshAdvisories === true },
          );
          answered.forEach((refs, i) => (answers[from + i] = refs));
          const found = answers.flatMap((refs, i) => (refs.length > 0 ? [[i, refs] as const] : []));
          const kept = found.reduce((n, [, refs]) => n + refs.length, 0);
          step.report({
            snapshotId: input.snapshotId,
            queries: unique.length,
            batchSize,
            batchesDone: batch + 1,
            found: kept <= MAX_RESUMABLE_REFS ? found : null,
          } satisfies OsvQueryProgress);
        }
        const idsByQuery = new Map(unique.map((d, i) => [queryKey(d), answers[i] ?? []]));

        const latest = new Map<string, string>();
        for (const refs of answers) for (const ref of refs) latest.set(ref.id, ref.modified);
        const cached = await vulnerabilityCache.modified([...latest.keys()]);
        const stale = [...latest].filter(([id, modified]) => {
          const have = cached.get(id);
          return have === undefined || Date.parse(have) < Date.parse(modified);
        });
        const records = await mapBounded(stale, concurrency, ([id]) =>
          vulnerabilityDatabase.getVulnerability(id),
        );
        step.stopIfCancelled();
        await vulnerabilityCache.upsert(records);
        // An abandoned attempt (the scan was cancelled, or this attempt timed out) stores no matches.
        step.stopIfCancelled();

        const matches = pinned.flatMap((d) =>
          (idsByQuery.get(queryKey(d)) ?? []).map((ref) => ({ dependencyId: d.id, vulnerabilityId: ref.id })),
        );
        step.stopIfCancelled();
        await snapshots.replaceMatches(
          { id: input.snapshotId, orgId: input.orgId, repoId: input.repoId },
          matches,
        );
        const counts = { queried: unique.length, vulnerabilities: latest.size, fetched: records.length };
        await scans.recordPhase(input.scanId, 'match', Date.now() - started, counts);
        return counts;
      },
      { ...input, step: 'match' },
    );
  };
}
