import {
  mapBounded,
  type ScanRepository,
  type SnapshotRepository,
  type VulnerabilityCache,
  type VulnerabilityDatabase,
} from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { OsvQueryInput } from './scan-activity.types';

export interface OsvQueryDeps {
  readonly vulnerabilityDatabase: VulnerabilityDatabase;
  readonly vulnerabilityCache: VulnerabilityCache;
  readonly snapshots: SnapshotRepository;
  readonly scans: ScanRepository;
  /** Parallel detail fetches. */
  readonly concurrency?: number;
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
}: OsvQueryDeps) {
  return async function osvQuery(
    input: OsvQueryInput,
  ): Promise<{ queried: number; vulnerabilities: number; fetched: number }> {
    return asActivity(async (cancelled) => {
      const started = Date.now();
      await scans.phase(input.scanId, 'MATCHING');
      const pinned = (await snapshots.dependencies(input.snapshotId)).filter((d) => d.version !== null);
      const queryKey = (d: { ecosystem: string; name: string; version: string | null }) =>
        `${d.ecosystem}\u0000${d.name}\u0000${d.version}`;
      const unique = [...new Map(pinned.map((d) => [queryKey(d), d])).values()];
      const answers = await vulnerabilityDatabase.queryBatch(
        unique.map((d) => ({ ecosystem: d.ecosystem, name: d.name, version: d.version! })),
        { fresh: input.freshAdvisories === true },
      );
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
      await vulnerabilityCache.upsert(records);
      // An abandoned attempt (the scan was cancelled, or this attempt timed out) stores no matches.
      cancelled?.throwIfAborted();

      const matches = pinned.flatMap((d) =>
        (idsByQuery.get(queryKey(d)) ?? []).map((ref) => ({ dependencyId: d.id, vulnerabilityId: ref.id })),
      );
      await snapshots.replaceMatches(
        { id: input.snapshotId, orgId: input.orgId, repoId: input.repoId },
        matches,
      );
      const counts = { queried: unique.length, vulnerabilities: latest.size, fetched: records.length };
      await scans.recordPhase(input.scanId, 'osv', Date.now() - started, counts);
      return counts;
    }, input);
  };
}
