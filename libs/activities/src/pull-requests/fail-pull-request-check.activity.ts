import { renderFailedPullRequestCheck } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import {
  publishCheck,
  type CheckPublishingDeps,
  type PullRequestCheckStepInput,
} from './pull-request-check-activity.types';

/**
 * The check's steps ran out of retries: the row ends failed with the code, and the head gets a
 * neutral check naming it, so the pull request is not left with a pending one.
 */
export function createFailPullRequestCheckActivity(deps: CheckPublishingDeps) {
  return async function failPullRequestCheck(
    input: PullRequestCheckStepInput & { readonly errorCode: string },
  ): Promise<void> {
    return asActivity(async () => {
      await deps.pullRequestChecks.fail(input.checkId, input.errorCode, new Date(input.requestedAt));
      const check = await deps.pullRequestChecks.get(input.checkId);
      // Asked again since (a rerequest): that request publishes the head's check.
      if (!check || check.state !== 'failed' || check.requestedAt.getTime() !== Date.parse(input.requestedAt))
        return;
      await publishCheck(deps, input, check, (options) =>
        renderFailedPullRequestCheck(input.errorCode, options),
      );
    });
  };
}
