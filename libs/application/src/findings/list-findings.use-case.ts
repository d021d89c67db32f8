import {
  NotFoundError,
  type FindingPage,
  type ListedFinding,
  type FindingPageRequest,
  type UnitOfWork,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { findingFilterOf, type FindingCriteria } from './finding-criteria';

export interface ListFindingsCommand extends FindingCriteria {
  readonly caller: Caller;
  readonly repoId: string;
  readonly page: FindingPageRequest;
}

/**
 * A page of a repository's findings, open ones most severe and newest first unless asked otherwise.
 * A disconnected repository (not purged) keeps its findings, and they stay listed.
 */
export class ListFindings {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, repoId, page, ...criteria }: ListFindingsCommand): Promise<FindingPage<ListedFinding>> {
    return this.uow.read(caller.scope, async (stores) => {
      const found = await stores.findingQueries.page({ ...findingFilterOf(criteria), repoId }, page);
      // A page with findings shows the repository is there; an empty one may be of a repository
      // purged since the caller's access was checked (the API holds a repository's org a moment).
      if (found.items.length === 0 && !(await stores.resourceOwners.orgOf('repository_history', repoId))) {
        throw new NotFoundError('REPO_NOT_FOUND', `No repository with id ${repoId}`);
      }
      return found;
    });
  }
}
