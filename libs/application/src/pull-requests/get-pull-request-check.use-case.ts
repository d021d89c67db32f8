import { NotFoundError, type PullRequestCheckRecord, type UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface GetPullRequestCheckCommand {
  readonly caller: Caller;
  readonly repoId: string;
  readonly checkId: string;
}

/** One check with its comparison: what a check run's details link shows. */
export class GetPullRequestCheck {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, repoId, checkId }: GetPullRequestCheckCommand): Promise<PullRequestCheckRecord> {
    const check = await this.uow.read(caller.scope, ({ pullRequestChecks }) =>
      pullRequestChecks.get(checkId),
    );
    // Another repository's check is not found here either, whoever may read that one.
    if (!check || check.repoId !== repoId)
      throw new NotFoundError(
        'PR_CHECK_NOT_FOUND',
        `No pull-request check ${checkId} on repository ${repoId}`,
      );
    return check;
  }
}
