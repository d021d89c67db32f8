import type { Repository, SeverityCounts } from '@repoguard/domain';

/** A repository as it is listed: with its open findings by severity. */
export interface RepositorySummary {
  readonly repo: Repository;
  readonly openFindings: SeverityCounts;
}
