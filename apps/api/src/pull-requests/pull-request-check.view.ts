import type { PullRequestCheckRecord, PullRequestComparison, PullRequestFinding } from '@repoguard/domain';
import type {
  PullRequestCheckDto,
  PullRequestComparisonDto,
  PullRequestFindingDto,
} from './pull-request-check-response.dto';

const findingView = (f: PullRequestFinding): PullRequestFindingDto => ({
  vulnerability_id: f.vulnerabilityId,
  aliases: f.aliases,
  summary: f.summary,
  severity: f.severity,
  ecosystem: f.ecosystem,
  package_name: f.packageName,
  version: f.version,
  manifest_path: f.manifestPath,
  line: f.line,
  fixed_in: f.fixedIn,
  direct: f.direct,
});

const comparisonView = (c: PullRequestComparison): PullRequestComparisonDto => ({
  base_commit_sha: c.baseCommitSha,
  head_commit_sha: c.headCommitSha,
  base_scan_id: c.baseScanId,
  manifests_changed: c.manifestsChanged,
  introduced: c.introduced.map(findingView),
  resolved: c.resolved.map(findingView),
  accepted: c.accepted.map(findingView),
  status: c.status,
  reasons: c.reasons,
  incomplete: c.incomplete,
});

export const pullRequestCheckView = (check: PullRequestCheckRecord): PullRequestCheckDto => ({
  check_id: check.id,
  repo_id: check.repoId,
  pr_number: check.prNumber,
  head_sha: check.headSha,
  base_ref: check.baseRef,
  base_sha: check.baseSha,
  state: check.state,
  conclusion: check.conclusion,
  delivery: check.delivery,
  check_run_id: check.checkRunId,
  error_code: check.errorCode,
  requested_by: check.requestedBy,
  requested_at: check.requestedAt.toISOString(),
  created_at: check.createdAt.toISOString(),
  completed_at: check.completedAt?.toISOString() ?? null,
  comparison: check.comparison ? comparisonView(check.comparison) : null,
});
