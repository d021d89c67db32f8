import type { EntityManager } from '@mikro-orm/postgresql';
import type { ScanHistory, ScanRecord } from '@repoguard/domain';
import { ScanEntity } from '../entities';

const recordOf = (scan: ScanEntity): ScanRecord => ({
  id: scan.id,
  orgId: scan.orgId,
  repoId: scan.repoId,
  status: scan.status,
  trigger: scan.trigger,
  requestedBy: scan.requestedBy,
  ref: scan.ref,
  commitSha: scan.commitSha,
  snapshotId: scan.snapshotId,
  phaseTimings: scan.phaseTimings,
  counts: scan.counts,
  errorCode: scan.errorCode,
  errorMessage: scan.errorMessage,
  workflowId: scan.workflowId,
  runId: scan.runId,
  createdAt: scan.createdAt,
  startedAt: scan.startedAt,
  completedAt: scan.completedAt,
});

export class MikroOrmScanHistory implements ScanHistory {
  constructor(private readonly em: EntityManager) {}

  async get(scanId: string): Promise<ScanRecord | null> {
    const scan = await this.em.findOne(ScanEntity, { id: scanId });
    return scan ? recordOf(scan) : null;
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
    return { items: scans.map(recordOf), total };
  }
}
