import type { PullRequestCheckRepository } from '@repoguard/domain';
import { asActivity } from '../as-activity';

/** A newer head of the pull request was asked for: this one's row ends superseded (if not ended). */
export function createSupersedePullRequestCheckActivity(deps: {
  readonly pullRequestChecks: PullRequestCheckRepository;
}) {
  return async function supersedePullRequestCheck(input: { readonly checkId: string }): Promise<void> {
    return asActivity(() => deps.pullRequestChecks.supersede(input.checkId));
  };
}
