import type { UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface SetGithubTokenCommand {
  readonly caller: OrgCaller;
  readonly token: string;
}

/** The org's own GitHub token (for private repositories without the App), sealed; audited. */
export class SetGithubToken {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, token }: SetGithubTokenCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ githubTokens, audit }) => {
      await githubTokens.seal(caller.orgId, token);
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'github_token.set',
        targetType: 'organization',
        targetId: caller.orgId,
      });
    });
  }
}
