import type { EntityManager } from '@mikro-orm/postgresql';
import { snapshotCompleteness, type ScanHistory, type ScanRecord, type ScanVerdict } from '@repoguard/domain';
import {
  DependencySnapshotEntity,
  PolicyEvaluationEntity,
  ScanEntity,
  type SnapshotManifest,
} from '../entities';

const recordOf = (
  scan: ScanEntity,
  manifests: ReadonlyMap<string, SnapshotManifest[]>,
  verdict: ScanVerdict | null,
): ScanRecord => {
  const read = scan.snapshotId ? manifests.get(scan.snapshotId) : undefined;
  return {
    id: scan.id,
    orgId: scan.orgId,
    repoId: scan.repoId,
    status: scan.status,
    trigger: scan.trigger,
    requestedBy: scan.requestedBy,
    ref: scan.ref,
    commitSha: scan.commitSha,
    snapshotId: scan.snapshotId,
    completeness: read ? snapshotCompleteness(read) : null,
    phaseTimings: scan.phaseTimings,
    counts: scan.counts,
    errorCode: scan.errorCode,
    errorMessage: scan.errorMessage,
    workflowId: scan.workflowId,
    runId: scan.runId,
    createdAt: scan.createdAt,
    startedAt: scan.startedAt,
    completedAt: scan.completedAt,
    verdict,
  };
};

export class MikroOrmScanHistory implements ScanHistory {
  constructor(private readonly em: EntityManager) {}

  async get(scanId: string): Promise<ScanRecord | null> {
    const scan = await this.em.findOne(ScanEntity, { id: scanId });
    if (!scan) return null;
    const manifests = await this.manifestsOf([scan]);
    const verdicts = await this.verdictsOf([scan.id]);
    return recordOf(scan, manifests, verdicts.get(scan.id) ?? null);
  }

  async listByRepo(
    repoId: string,
    page: { readonly limit: number; readonly offset: number },
  ): Promise<{ items: ScanRecord[]; total: number }> {
    const [scans, total] = await this.em.findAndCount(
      ScanEntity,
      { repoId },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: page.limit, offset: page.offset },
    );
    const manifests = await this.manifestsOf(scans);
    const verdicts = await this.verdictsOf(scans.map((scan) => scan.id));
    return { items: scans.map((scan) => recordOf(scan, manifests, verdicts.get(scan.id) ?? null)), total };
  }

  /** The manifests (and their diagnostics) each scan's snapshot read, in one query. */
  private async manifestsOf(scans: readonly ScanEntity[]): Promise<Map<string, SnapshotManifest[]>> {
    const ids = [...new Set(scans.flatMap((s) => (s.snapshotId ? [s.snapshotId] : [])))];
    if (ids.length === 0) return new Map();
    const snapshots = await this.em.find(
      DependencySnapshotEntity,
      { id: { $in: ids } },
      { fields: ['id', 'manifests'] },
    );
    return new Map(snapshots.map((s) => [s.id, s.manifests]));
  }

  /** At most one per scan (policy_evaluations_scan_id_unique): one indexed read for a whole page. */
  private async verdictsOf(scanIds: readonly string[]): Promise<Map<string, ScanVerdict>> {
    if (scanIds.length === 0) return new Map();
    const rows = await this.em.find(PolicyEvaluationEntity, { scanId: { $in: [...scanIds] } });
    return new Map(
      rows.map((row) => [
        row.scanId!,
        {
          status: row.status,
          policyVersion: row.policyVersion,
          reasons: row.reasons,
          evaluatedAt: row.createdAt,
        },
      ]),
    );
  }
}
