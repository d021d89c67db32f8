import { Context } from '@temporalio/activity';
import { renderPendingPullRequestCheck } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import {
  publishCheck,
  type CheckPublishingDeps,
  type PullRequestCheckStepInput,
} from './pull-request-check-activity.types';

/**
 * Takes the request: queued → in_progress (a retry after a lost answer finds it taken by this
 * same request and goes on), and shows the pull request a pending check. `proceed: false` when
 * the row moved on (a late copy of a request already checked, or a newer request of the same head).
 */
export function createBeginPullRequestCheckActivity(deps: CheckPublishingDeps) {
  return async function beginPullRequestCheck(
    input: PullRequestCheckStepInput,
  ): Promise<{ proceed: boolean }> {
    return asActivity(async () => {
      const requestedAt = new Date(input.requestedAt);
      const { pullRequestChecks } = deps;
      const taken = await pullRequestChecks.markInProgress(input.checkId, requestedAt);
      const check = await pullRequestChecks.get(input.checkId);
      const ours = check?.state === 'in_progress' && check.requestedAt.getTime() === requestedAt.getTime();
      if (!check || !(taken || ours)) return { proceed: false };
      // Best effort: the final check is what matters, and it is published whatever happens here.
      await publishCheck(deps, input, check, renderPendingPullRequestCheck).catch((error: unknown) =>
        Context.current().log.warn('pending check not published', {
          checkId: input.checkId,
          error: String(error),
        }),
      );
      return { proceed: true };
    });
  };
}
