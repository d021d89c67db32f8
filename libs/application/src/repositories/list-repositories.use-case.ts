import type { CountedPage, PageRequest, RepoStatus, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import type { RepositorySummary } from './repository-summary';

export interface ListRepositoriesCommand {
  readonly caller: OrgCaller;
  readonly status?: RepoStatus;
  readonly page: PageRequest;
}

/** A page of the org's repositories, newest first, each with its open findings by severity. */
export class ListRepositories {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, status, page }: ListRepositoriesCommand): Promise<CountedPage<RepositorySummary>> {
    return this.uow.read(caller.scope, async ({ repositories, findingQueries }) => {
      const { items, total } = await repositories.list(caller.orgId, status ? { status } : {}, page);
      const counts = await findingQueries.openCountsBySeverity(items.map((repo) => repo.id));
      return {
        items: items.map((repo) => ({ repo, openFindings: counts.get(repo.id)! })),
        total,
      };
    });
  }
}
