import { Context } from '@temporalio/activity';
import { renderSupersededPullRequestCheck } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import {
  publishCheck,
  type CheckPublishingDeps,
  type PullRequestCheckStepInput,
} from './pull-request-check-activity.types';

/**
 * A newer head of the pull request was asked for: this one's row ends superseded (if not ended),
 * and the pending check it showed on its commit, if any, is closed as neutral: no commit keeps a
 * check that never ends. Histories recorded before passed the check id alone: nothing is published.
 */
export function createSupersedePullRequestCheckActivity(deps: CheckPublishingDeps) {
  return async function supersedePullRequestCheck(
    input: Pick<PullRequestCheckStepInput, 'checkId'> & Partial<PullRequestCheckStepInput>,
  ): Promise<void> {
    return asActivity(async () => {
      // Only the request superseded: a rerequest of the same head since then is checked on its own.
      const requestedAt = input.requestedAt === undefined ? undefined : new Date(input.requestedAt);
      await deps.pullRequestChecks.supersede(input.checkId, requestedAt);
      const check = await deps.pullRequestChecks.get(input.checkId);
      if (!check || check.state !== 'superseded' || check.delivery === null) return;
      if (requestedAt && check.requestedAt.getTime() !== requestedAt.getTime()) return;
      if (input.owner === undefined || input.name === undefined) return;
      const step = {
        ...input,
        orgId: check.orgId,
        repoId: check.repoId,
        owner: input.owner,
        name: input.name,
      };
      await publishCheck(
        deps,
        step as PullRequestCheckStepInput,
        check,
        renderSupersededPullRequestCheck,
      ).catch((error: unknown) =>
        // Best effort: the newer head's check is the one the pull request shows.
        Context.current().log.warn('superseded check not closed', {
          checkId: check.id,
          error: String(error),
        }),
      );
    });
  };
}
