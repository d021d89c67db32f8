import type { CountedPage, PageRequest, Repository, RepoStatus, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListRepositoriesCommand {
  readonly caller: OrgCaller;
  readonly status?: RepoStatus;
  readonly page: PageRequest;
}

/** A page of the org's repositories, newest first. */
export class ListRepositories {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, status, page }: ListRepositoriesCommand): Promise<CountedPage<Repository>> {
    return this.uow.read(caller.scope, ({ repositories }) =>
      repositories.list(caller.orgId, status ? { status } : {}, page),
    );
  }
}
