import type { AdvisorySyncRuns } from '@repoguard/domain';
import { asActivity } from '../as-activity';

export interface CollectRematchTargetsDeps {
  readonly syncRuns: AdvisorySyncRuns;
}

/**
 * Stores the sync run's re-match targets in the database and returns only how many: the list
 * never travels through workflow history. A retry finds them stored and returns the same count.
 */
export function createCollectRematchTargetsActivity({ syncRuns }: CollectRematchTargetsDeps) {
  return async function collectRematchTargets(input: {
    readonly syncRunId: string;
  }): Promise<{ targets: number }> {
    return asActivity(async () => ({ targets: await syncRuns.collectTargets(input.syncRunId) }));
  };
}
