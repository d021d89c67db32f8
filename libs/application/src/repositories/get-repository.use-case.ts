import { NotFoundError, type Repository, type UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface GetRepositoryCommand {
  readonly caller: Caller;
  readonly orgId: string;
  readonly repoId: string;
}

/** The repository named, which must also be in the org named with it. */
export class GetRepository {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, orgId, repoId }: GetRepositoryCommand): Promise<Repository> {
    return this.uow.read(caller.scope, async ({ repositories }) => {
      const repo = await repositories.get(repoId);
      if (!repo || repo.orgId !== orgId) throw repoNotFound(repoId);
      return repo;
    });
  }
}

export const repoNotFound = (repoId: string): NotFoundError =>
  new NotFoundError('REPO_NOT_FOUND', `No repository with id ${repoId}`);
