import type { LinkedGithubInstallation, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListGithubInstallationsCommand {
  readonly caller: OrgCaller;
}

/** The org's installations, revoked ones included, oldest first. */
export class ListGithubInstallations {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller }: ListGithubInstallationsCommand): Promise<LinkedGithubInstallation[]> {
    return this.uow.read(caller.scope, ({ githubInstallations }) => githubInstallations.list(caller.orgId));
  }
}
