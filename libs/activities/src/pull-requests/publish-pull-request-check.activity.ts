import { ApplicationFailure } from '@temporalio/common';
import { conclusionOf, renderPullRequestCheck, type CheckConclusion } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import {
  publishCheck,
  type CheckPublishingDeps,
  type PullRequestCheckStepInput,
} from './pull-request-check-activity.types';

/**
 * Publishes the stored comparison on the head (a check run, or a commit status) and completes the
 * row with its conclusion. Publishing twice (a retry) updates the same check run.
 */
export function createPublishPullRequestCheckActivity(deps: CheckPublishingDeps) {
  return async function publishPullRequestCheck(
    input: PullRequestCheckStepInput,
  ): Promise<{ conclusion: CheckConclusion }> {
    return asActivity(async () => {
      const check = await deps.pullRequestChecks.get(input.checkId);
      const comparison = check?.comparison;
      if (!check || !comparison)
        throw ApplicationFailure.nonRetryable(
          `check ${input.checkId} has no comparison`,
          'PR_CHECK_NOT_COMPARED',
        );
      await publishCheck(deps, input, check, (options) => renderPullRequestCheck(comparison, options));
      const conclusion = conclusionOf(comparison.status);
      // Only the request checked: a rerequest since then (an accepted risk) is checked again.
      await deps.pullRequestChecks.complete(check.id, comparison, conclusion, new Date(input.requestedAt));
      return { conclusion };
    });
  };
}
