import type { FindingPage, ListedFinding, FindingPageRequest, UnitOfWork } from '@repoguard/domain';
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
    return this.uow.read(caller.scope, ({ findingQueries }) =>
      findingQueries.page({ ...findingFilterOf(criteria), repoId }, page),
    );
  }
}
