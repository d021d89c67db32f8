import type { FindingPage, OrgListedFinding, FindingPageRequest, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { findingFilterOf, type FindingCriteria } from './finding-criteria';

export interface SearchOrgFindingsCommand extends FindingCriteria {
  readonly caller: OrgCaller;
  /** An advisory id, matched against each finding's id and aliases (CVE-…, GHSA-…, PYSEC-…). */
  readonly advisory?: string;
  readonly page: FindingPageRequest;
}

/**
 * "Which of our repositories have CVE-X, or package Y?": findings across the org's connected
 * repositories, each naming its repository, with the same filters and orders as one repository's list.
 */
export class SearchOrgFindings {
  constructor(private readonly uow: UnitOfWork) {}

  execute({
    caller,
    advisory,
    page,
    ...criteria
  }: SearchOrgFindingsCommand): Promise<FindingPage<OrgListedFinding>> {
    return this.uow.read(caller.scope, ({ findingQueries }) =>
      findingQueries.search(
        { ...findingFilterOf(criteria), orgId: caller.orgId, ...(advisory ? { advisory } : {}) },
        page,
      ),
    );
  }
}
