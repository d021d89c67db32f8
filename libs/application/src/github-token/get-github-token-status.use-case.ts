import type { UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface GetGithubTokenStatusCommand {
  readonly caller: OrgCaller;
}

/** Whether the org stored a GitHub token, and when; never the token. */
export class GetGithubTokenStatus {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller }: GetGithubTokenStatusCommand): Promise<{ updatedAt: Date | null }> {
    return this.uow.read(caller.scope, async ({ githubTokens }) => ({
      updatedAt: await githubTokens.updatedAt(caller.orgId),
    }));
  }
}
