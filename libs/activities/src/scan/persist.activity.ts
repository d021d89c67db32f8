import {
  AdvisoryDiagnosticsMemo,
  advisorySummary,
  describeVulnerabilities,
  fixedVersionsFor,
  mergeAdvisoryDiagnostics,
  type DesiredFinding,
  type FindingRepository,
  type OpenFindingHistory,
  type OsvRecord,
  type ScanRepository,
  snapshotCompleteness,
  type SnapshotRepository,
  type VulnerabilityCache,
  type VulnerabilityDatabase,
  unreadManifests,
} from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { SnapshotStepInput } from './scan-activity.types';

export interface PersistDeps {
  readonly snapshots: SnapshotRepository;
  readonly vulnerabilityCache: VulnerabilityCache;
  /**
   * Asked only whether the advisories of findings the snapshot no longer has were withdrawn. The
   * worker always gives it; without it (step tests) every finding that goes away is fixed.
   */
  readonly vulnerabilityDatabase?: Pick<VulnerabilityDatabase, 'withdrawn'>;
  readonly findings: FindingRepository;
  /** The day's open findings of the repository, kept for the trend (the worker always gives it). */
  readonly openFindingHistory?: OpenFindingHistory;
  readonly scans: ScanRepository;
  readonly now: () => Date;
}

/** Turns the snapshot's matches into findings: one per alias group and dependency, written idempotently. */
export function createPersistActivity({
  snapshots,
  vulnerabilityCache,
  vulnerabilityDatabase,
  findings,
  openFindingHistory,
  scans,
  now,
}: PersistDeps) {
  return async function persist(
    input: SnapshotStepInput,
  ): Promise<{ open: number; opened: number; fixed: number; supersededBy?: string }> {
    return asActivity(
      async (_cancelled, step) => {
        const started = Date.now();
        step.stopIfCancelled();
        await scans.phase(input.scanId, 'PERSISTING');
        const [dependencies, matches, manifests] = await Promise.all([
          snapshots.dependencies(input.snapshotId),
          snapshots.matches(input.snapshotId),
          snapshots.manifests(input.snapshotId),
        ]);
        const records = await vulnerabilityCache.get([...new Set(matches.map((m) => m.vulnerabilityId))]);
        const idsByDependency = new Map<string, string[]>();
        for (const m of matches)
          idsByDependency.set(m.dependencyId, [
            ...(idsByDependency.get(m.dependencyId) ?? []),
            m.vulnerabilityId,
          ]);

        // A record matching many dependencies is diagnosed once, however many events it holds.
        const diagnostics = new AdvisoryDiagnosticsMemo();
        const desired: DesiredFinding[] = [];
        for (const dependency of dependencies) {
          const ids = idsByDependency.get(dependency.id);
          if (!ids || dependency.version === null) continue;
          const found = ids.map((id) => records.get(id)).filter((r): r is OsvRecord => r !== undefined);
          const described = describeVulnerabilities(
            dependency.ecosystem,
            dependency.name,
            dependency.version,
            found.map((record) => ({ record, fixedVersions: fixedVersionsFor(record, dependency) })),
          );
          for (const v of described) {
            desired.push({
              ecosystem: dependency.ecosystem,
              packageName: dependency.name,
              version: dependency.version,
              manifestPath: dependency.manifestPath,
              vulnerabilityId: v.vulnerabilityId,
              aliases: v.aliases,
              severity: v.severity.severity,
              cvssScore: v.severity.score,
              fixedVersions: v.fixedVersions,
              // Kept so a later match can tell the advisory's summary changed (finding.changed).
              summary: advisorySummary([v.vulnerabilityId, ...v.recordIds].map((id) => records.get(id))),
              // What matching had to work around in these advisories, so a reader can judge the finding:
              // counts and a bounded sample, so a hostile advisory cannot bloat every finding row.
              advisoryDiagnostics: mergeAdvisoryDiagnostics(
                v.recordIds.flatMap((id) => {
                  const record = records.get(id);
                  return record
                    ? [diagnostics.forPackage(record, dependency.ecosystem, dependency.name)]
                    : [];
                }),
              ),
            });
          }
        }
        // An advisory no dependency matches any more may have been withdrawn rather than fixed: a
        // withdrawn one matches nothing, so only its source can tell.
        const stillMatched = new Set(desired.map((f) => f.vulnerabilityId));
        const gone = vulnerabilityDatabase
          ? [
              ...new Set(
                (await findings.current(input.repoId))
                  .map((f) => f.vulnerabilityId)
                  .filter((id) => !stillMatched.has(id)),
              ),
            ]
          : [];
        const withdrawn =
          vulnerabilityDatabase && gone.length > 0
            ? await vulnerabilityDatabase.withdrawn(gone)
            : new Set<string>();
        // Cancelled (a disconnect, a push that took over) or timed out while reading: write nothing.
        step.stopIfCancelled();
        const result = await findings.sync({
          orgId: input.orgId,
          repoId: input.repoId,
          snapshotId: input.snapshotId,
          scanId: input.scanId,
          findings: desired,
          withdrawnAdvisories: [...withdrawn],
          unreadManifests: unreadManifests(snapshotCompleteness(manifests)),
          now: now(),
        });
        if (result.supersededBy) {
          // A newer scan of the repository persisted first: its findings stand, this scan ends here.
          await scans.supersede(input.scanId, now());
          return { open: 0, opened: 0, fixed: 0, supersededBy: result.supersededBy };
        }
        // After the sync's commit, in a transaction of its own: a retried persist counts again, the
        // same. Not recorded, the trend would carry the day before's count until the next change.
        await openFindingHistory?.record(input.repoId, now());
        // Withdrawn findings are closed too: counted with the fixed ones in the scan's answer.
        const counts = {
          open: result.stillOpen + result.opened,
          opened: result.opened,
          fixed: result.fixed + result.withdrawn,
        };
        step.stopIfCancelled();
        await scans.recordPhase(input.scanId, 'persist', Date.now() - started, {
          findings: counts.open,
          fixed_findings: counts.fixed,
        });
        return counts;
      },
      { ...input, step: 'persist' },
    );
  };
}
