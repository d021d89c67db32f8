import type { RequestScan } from '@repoguard/application';
import { DomainError, SYSTEM_SCOPE } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { RequestRematchScansInput } from './advisory-activity.types';

export interface RequestRematchScansDeps {
  readonly requestScan: RequestScan;
}

// Disabled or disconnected since the targets were found: nothing to match again.
const GONE = new Set(['REPO_DISABLED', 'REPO_NOT_FOUND']);

/**
 * Asks each affected repository's scan workflow to match its stored snapshot again, audited as the
 * system on behalf of the sync. The request joins a running scan like any other; its steps run on
 * the re-match queue. Safe to retry: a repeated request is coalesced by the workflow's debounce.
 */
export function createRequestRematchScansActivity({ requestScan }: RequestRematchScansDeps) {
  return async function requestRematchScans(input: RequestRematchScansInput): Promise<{ requested: number }> {
    return asActivity(async () => {
      const caller = {
        scope: SYSTEM_SCOPE,
        actor: { actorType: 'system' as const, actorId: input.syncId, correlationId: input.syncId, ip: null },
      };
      let requested = 0;
      for (const target of input.targets) {
        try {
          await requestScan.execute({
            caller,
            repoId: target.repoId,
            trigger: 'advisory',
            requestedBy: input.syncId,
            snapshotId: target.snapshotId,
            stepsTaskQueue: input.rematchTaskQueue,
            routing: {
              taskQueue: input.scanTaskQueue,
              ...(input.scanTiming ? { timing: input.scanTiming } : {}),
            },
          });
          requested++;
        } catch (error) {
          if (error instanceof DomainError && GONE.has(error.code)) continue;
          // Temporal refusing is transient: a plain error is left to the retry policy.
          if (error instanceof DomainError && error.kind === 'unavailable') throw new Error(error.message);
          throw error;
        }
      }
      return { requested };
    });
  };
}
