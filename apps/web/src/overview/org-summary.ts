import {
  REPO_STATUSES,
  SEVERITIES,
  type OpenFindingCounts,
  type Repo,
  type RepoStatus,
} from '../api/api-types';

export interface OrgSummary {
  readonly repos: number;
  readonly byStatus: Readonly<Record<RepoStatus, number>>;
  readonly openFindings: Readonly<OpenFindingCounts>;
}

/**
 * The org's numbers, summed from every page of GET /orgs/{org_id}/repos (each repository carries
 * its open findings by severity). An org-level summary endpoint would spare reading every page.
 */
export function summarize(repos: readonly Repo[]): OrgSummary {
  const byStatus = Object.fromEntries(REPO_STATUSES.map((s) => [s, 0])) as Record<RepoStatus, number>;
  const openFindings = Object.fromEntries([...SEVERITIES, 'total'].map((s) => [s, 0])) as OpenFindingCounts;
  for (const repo of repos) {
    byStatus[repo.status] += 1;
    for (const key of [...SEVERITIES, 'total'] as const) openFindings[key] += repo.open_findings[key];
  }
  return { repos: repos.length, byStatus, openFindings };
}

/** FAIL first, then WARN, ERROR, PENDING, OK; most critical findings first within a status. */
export function byUrgency(a: Repo, b: Repo): number {
  const order: readonly RepoStatus[] = ['FAIL', 'WARN', 'ERROR', 'PENDING', 'OK'];
  return (
    order.indexOf(a.status) - order.indexOf(b.status) ||
    b.open_findings.critical - a.open_findings.critical ||
    b.open_findings.high - a.open_findings.high ||
    a.full_name.localeCompare(b.full_name)
  );
}

export function isRepoStatus(value: string | null): value is RepoStatus {
  return value !== null && (REPO_STATUSES as readonly string[]).includes(value);
}
