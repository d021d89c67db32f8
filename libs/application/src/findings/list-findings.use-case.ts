import type { CountedPage, ListedFinding, PageRequest, UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { findingFilterOf, type FindingCriteria } from './finding-criteria';

export interface ListFindingsCommand extends FindingCriteria {
  readonly caller: Caller;
  readonly repoId: string;
  readonly page: PageRequest;
}

/**
 * A page of a repository's findings, open ones most severe and newest first unless asked otherwise.
 * A disconnected repository (not purged) keeps its findings, and they stay listed.
 */
export class ListFindings {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, repoId, page, ...criteria }: ListFindingsCommand): Promise<CountedPage<ListedFinding>> {
    return this.uow.read(caller.scope, ({ findingQueries }) =>
      findingQueries.page({ ...findingFilterOf(criteria), repoId }, page),
    );
  }
}
