import type { UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface RemoveGithubTokenCommand {
  readonly caller: OrgCaller;
}

/** The org's repositories are read with the instance's access again. Audited only if one was there. */
export class RemoveGithubToken {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller }: RemoveGithubTokenCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ githubTokens, audit }) => {
      if (!(await githubTokens.remove(caller.orgId))) return;
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'github_token.removed',
        targetType: 'organization',
        targetId: caller.orgId,
      });
    });
  }
}
