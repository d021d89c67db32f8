import { asActivity } from '../as-activity';
import type { RequestRematchScansInput, ScanRequestSender } from './advisory-activity.types';

export interface RequestRematchScansDeps {
  readonly scanRequests: ScanRequestSender;
}

/**
 * Asks each affected repository's scan workflow to match its stored snapshot again. The request
 * joins a running scan like any other; its steps run on the re-match queue. Safe to retry: a
 * repeated request is coalesced by the workflow's debounce.
 */
export function createRequestRematchScansActivity({ scanRequests }: RequestRematchScansDeps) {
  return async function requestRematchScans(input: RequestRematchScansInput): Promise<{ requested: number }> {
    return asActivity(async () => {
      for (const target of input.targets) {
        await scanRequests.requestScan(
          target,
          {
            trigger: 'advisory',
            requestedBy: input.syncId,
            correlationId: input.syncId,
            snapshotId: target.snapshotId,
            taskQueue: input.rematchTaskQueue,
          },
          { taskQueue: input.scanTaskQueue, ...(input.scanTiming ? { timing: input.scanTiming } : {}) },
        );
      }
      return { requested: input.targets.length };
    });
  };
}
