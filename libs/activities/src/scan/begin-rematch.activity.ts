import { NotFoundError, type ScanRepository, type SnapshotRepository } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { BeginRematchInput } from './scan-activity.types';
import { scanRecordStart } from './scan-record-start';

export interface BeginRematchDeps {
  readonly scans: ScanRepository;
  readonly snapshots: SnapshotRepository;
}

/**
 * Opens the scan row of a re-match: the stored snapshot is matched again because advisories
 * changed, so nothing is fetched or parsed; the row says `advisory` and names the snapshot's commit.
 * The snapshot is the repository's newest one when the re-match starts, not the one named when it
 * was asked for: a push scan that completed in between must not be rolled back to an older commit.
 */
export function createBeginRematchActivity({ scans, snapshots }: BeginRematchDeps) {
  return async function beginRematch(
    input: BeginRematchInput,
  ): Promise<{ commitSha: string; snapshotId: string }> {
    return asActivity(async (_cancelled, step) => {
      const latest = await scans.latestCompletedSnapshot(input.repoId);
      const snapshotId = latest?.snapshotId ?? input.snapshotId;
      const commitSha = latest?.commitSha ?? (await snapshots.commitOf(snapshotId));
      if (!commitSha) {
        throw new NotFoundError('SNAPSHOT_NOT_FOUND', `snapshot ${input.snapshotId} is not stored any more`);
      }
      step.stopIfCancelled();
      await scans.start(scanRecordStart(input, 'advisory'));
      await scans.phase(input.scanId, 'MATCHING', { commitSha, snapshotId });
      return { commitSha, snapshotId };
    }, input);
  };
}
