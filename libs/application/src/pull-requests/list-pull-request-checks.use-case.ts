import { NotFoundError, type PullRequestCheckRecord, type UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface ListPullRequestChecksCommand {
  readonly caller: Caller;
  readonly repoId: string;
  readonly prNumber: number;
}

/** The checks of one pull request, newest request first (at most 100). */
export class ListPullRequestChecks {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, repoId, prNumber }: ListPullRequestChecksCommand): Promise<PullRequestCheckRecord[]> {
    return this.uow.read(caller.scope, async ({ repositories, pullRequestChecks }) => {
      if (!(await repositories.get(repoId)))
        throw new NotFoundError('REPO_NOT_FOUND', `No repository with id ${repoId}`);
      return pullRequestChecks.listForPullRequest(repoId, prNumber);
    });
  }
}
