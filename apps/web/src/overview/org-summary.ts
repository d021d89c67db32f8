import {
  REPO_STATUSES,
  type OpenFindingCounts,
  type PolicyReason,
  type Repo,
  type RepoStatus,
} from '../api/api-types';

/** GET /orgs/{org_id}/summary: the overview's numbers, all from one answer of the API. */
export interface OrgSummary {
  org_id: string;
  as_of: string;
  repositories: {
    total: number;
    /** Each status's count, keyed by its name in lower case (the API's fields are snake_case). */
    by_status: Record<Lowercase<RepoStatus>, number>;
    /** FAIL first, then WARN, each with its reasons under the current policy; at most 50. */
    attention: {
      total: number;
      items: { id: string; full_name: string; status: 'FAIL' | 'WARN'; reasons: PolicyReason[] }[];
    };
  };
  open_findings: OpenFindingCounts;
  /** One point per UTC day, oldest first. */
  trend: { from: string; to: string; points: TrendPoint[] };
  newest_critical_findings: NewestFinding[];
  recent_scans: RecentScan[];
}

export type TrendPoint = OpenFindingCounts & { day: string };

export interface NewestFinding {
  id: string;
  repo_id: string;
  repo_full_name: string;
  vulnerability_id: string;
  aliases: string[];
  summary: string | null;
  ecosystem: string;
  package_name: string;
  version: string;
  manifest_path: string;
  fixed_versions: string[];
  first_seen: string;
}

export interface RecentScan {
  id: string;
  repo_id: string;
  repo_full_name: string;
  status: string;
  trigger: string;
  verdict: 'OK' | 'WARN' | 'FAIL' | null;
  error_code: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
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

/** "1.2 s", "350 ms", "2 min 5 s": a scan's duration in words a reader takes in at a glance. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
