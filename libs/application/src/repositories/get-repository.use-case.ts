import { NotFoundError, type UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import type { RepositorySummary } from './repository-summary';

export interface GetRepositoryCommand {
  readonly caller: Caller;
  readonly orgId: string;
  readonly repoId: string;
}

/** The repository named, which must also be in the org named with it, with its open findings by severity. */
export class GetRepository {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, orgId, repoId }: GetRepositoryCommand): Promise<RepositorySummary> {
    return this.uow.read(caller.scope, async ({ repositories, findingQueries }) => {
      const repo = await repositories.get(repoId);
      if (!repo || repo.orgId !== orgId) throw repoNotFound(repoId);
      const counts = await findingQueries.openCountsBySeverity([repo.id]);
      return { repo, openFindings: counts.get(repo.id)! };
    });
  }
}

export const repoNotFound = (repoId: string): NotFoundError =>
  new NotFoundError('REPO_NOT_FOUND', `No repository with id ${repoId}`);
