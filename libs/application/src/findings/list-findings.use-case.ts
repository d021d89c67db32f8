import {
  atLeast,
  SEVERITIES,
  type CountedPage,
  type FindingStatus,
  type ListedFinding,
  type PageRequest,
  type Severity,
  type UnitOfWork,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface ListFindingsCommand {
  readonly caller: Caller;
  readonly repoId: string;
  /** This severity and above. */
  readonly minSeverity?: Severity;
  readonly status?: FindingStatus;
  readonly ecosystem?: string;
  readonly packageName?: string;
  readonly page: PageRequest;
}

/** A page of a repository's findings, newest first. */
export class ListFindings {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, repoId, minSeverity, status, ecosystem, packageName, page }: ListFindingsCommand) {
    return this.uow.read(caller.scope, ({ findingQueries }): Promise<CountedPage<ListedFinding>> =>
      findingQueries.page(
        {
          repoId,
          ...(minSeverity ? { severities: SEVERITIES.filter((s) => atLeast(s, minSeverity)) } : {}),
          ...(status ? { status } : {}),
          ...(ecosystem ? { ecosystem } : {}),
          ...(packageName ? { packageName } : {}),
        },
        page,
      ),
    );
  }
}
