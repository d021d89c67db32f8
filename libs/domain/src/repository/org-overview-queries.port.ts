import type { SeverityCounts } from '../finding/finding-queries.port';
import type { RepoStatus } from './repo-status';

/** A scan as the org's overview lists it: which repository, how it went and how long it took. */
export interface OrgRecentScan {
  readonly id: string;
  readonly repoId: string;
  readonly repoFullName: string;
  readonly status: string;
  readonly trigger: string;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
  readonly errorCode: string | null;
  /** The policy's verdict stored for it; null when it has none (failed, superseded, running). */
  readonly verdict: 'OK' | 'WARN' | 'FAIL' | null;
}

/** The org-wide numbers of the overview, each in one grouped read over its connected repositories. */
export interface OrgOverviewQueries {
  /** How many connected repositories have each status (every status present, 0 when none). */
  repositoriesByStatus(orgId: string): Promise<Readonly<Record<RepoStatus, number>>>;
  /** Open findings by severity (an ignore past `asOf` counts as open). */
  openFindings(orgId: string, asOf: Date): Promise<SeverityCounts>;
  /** The newest scans of its connected repositories, newest created first. */
  recentScans(orgId: string, limit: number): Promise<OrgRecentScan[]>;
}
