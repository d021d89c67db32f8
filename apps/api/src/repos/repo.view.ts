import { SEVERITIES, type Repository, type SeverityCounts } from '@repoguard/domain';

/** A repository just connected: nothing scanned, nothing found. */
export const NOTHING_FOUND: SeverityCounts = {
  CRITICAL: 0,
  HIGH: 0,
  MEDIUM: 0,
  LOW: 0,
  UNKNOWN: 0,
};

/** `{ critical, high, medium, low, unknown, total }` */
export const countsView = (counts: SeverityCounts) => ({
  critical: counts.CRITICAL,
  high: counts.HIGH,
  medium: counts.MEDIUM,
  low: counts.LOW,
  unknown: counts.UNKNOWN,
  total: SEVERITIES.reduce((sum, s) => sum + counts[s], 0),
});

export const repoView = (repo: Repository, openFindings: SeverityCounts) => ({
  id: repo.id,
  org_id: repo.orgId,
  provider: repo.provider,
  owner: repo.owner,
  name: repo.name,
  full_name: `${repo.owner}/${repo.name}`,
  default_branch: repo.defaultBranch,
  status: repo.status,
  last_scan_at: repo.lastScanAt?.toISOString() ?? null,
  github_id: repo.externalId,
  git_url: repo.gitUrl,
  installation_id: repo.installationId,
  disabled: repo.disabledAt ? { at: repo.disabledAt.toISOString(), reason: repo.disabledReason } : null,
  open_findings: countsView(openFindings),
  created_at: repo.createdAt.toISOString(),
});
