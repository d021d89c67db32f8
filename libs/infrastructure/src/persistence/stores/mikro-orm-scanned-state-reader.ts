import { type EntityManager, QueryOrder } from '@mikro-orm/postgresql';
import { snapshotCompleteness, type ScannedState, type ScannedStateReader } from '@repoguard/domain';
import { ScanEntity } from '../entities';
import { currentFindings } from '../repositories/mikro-orm-finding-repository';
import { MikroOrmSnapshotRepository } from '../repositories/mikro-orm-snapshot-repository';

export class MikroOrmScannedStateReader implements ScannedStateReader {
  constructor(private readonly em: EntityManager) {}

  async lastScanned(repoId: string): Promise<ScannedState | null> {
    const lastScan = await this.em.findOne(
      ScanEntity,
      { repoId, status: 'COMPLETED', snapshotId: { $ne: null } },
      // Started last by the database's count, not finished last by a worker's clock (NEWEST_FIRST).
      { orderBy: { startSeq: QueryOrder.DESC_NULLS_LAST, completedAt: QueryOrder.DESC } },
    );
    if (!lastScan?.snapshotId) return null;
    const snapshots = new MikroOrmSnapshotRepository(this.em);
    const [findings, dependencies, manifests] = await Promise.all([
      // On this unit of work's own manager: inside a transaction it sees the change being judged.
      currentFindings(this.em, repoId),
      snapshots.dependencies(lastScan.snapshotId),
      snapshots.manifests(lastScan.snapshotId),
    ]);
    return {
      snapshotId: lastScan.snapshotId,
      findings,
      dependencies,
      completeness: snapshotCompleteness(manifests),
    };
  }
}
