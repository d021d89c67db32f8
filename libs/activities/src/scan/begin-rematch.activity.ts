import { NotFoundError, type ScanRepository, type SnapshotRepository } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { BeginRematchInput } from './scan-activity.types';

export interface BeginRematchDeps {
  readonly scans: ScanRepository;
  readonly snapshots: SnapshotRepository;
  readonly now: () => Date;
}

/**
 * Opens the scan row of a re-match: the stored snapshot is matched again because advisories
 * changed, so nothing is fetched or parsed; the row says `advisory` and names the snapshot's commit.
 */
export function createBeginRematchActivity({ scans, snapshots, now }: BeginRematchDeps) {
  return async function beginRematch(input: BeginRematchInput): Promise<{ commitSha: string }> {
    return asActivity(async () => {
      const commitSha = await snapshots.commitOf(input.snapshotId);
      if (!commitSha) {
        throw new NotFoundError('SNAPSHOT_NOT_FOUND', `snapshot ${input.snapshotId} is not stored any more`);
      }
      await scans.start(
        {
          scanId: input.scanId,
          orgId: input.orgId,
          repoId: input.repoId,
          workflowId: input.workflowId,
          runId: input.runId,
          trigger: 'advisory',
          requestedBy: input.requestedBy,
          ref: null,
        },
        now(),
      );
      await scans.phase(input.scanId, 'MATCHING', { commitSha, snapshotId: input.snapshotId });
      return { commitSha };
    }, input);
  };
}
