import type {
  PullRequestCheckPublisher,
  PullRequestCheckRecord,
  PullRequestCheckReport,
  PullRequestCheckRepository,
  RenderCheckOptions,
} from '@repoguard/domain';

/** What every step of a check is handed: the repository, the pull request and the request. */
export interface PullRequestCheckStepInput {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
  readonly prNumber: number;
  readonly defaultBranch?: string;
  readonly checkId: string;
  readonly headSha: string;
  /** The request being checked (ISO 8601): a rerequest since then is another request. */
  readonly requestedAt: string;
  readonly correlationId?: string;
}

export interface PullRequestCheckSummary {
  readonly status: 'OK' | 'WARN' | 'FAIL';
  readonly manifestsChanged: number;
  readonly introduced: number;
  readonly resolved: number;
  readonly accepted: number;
}

export interface CheckPublishingDeps {
  readonly pullRequestChecks: PullRequestCheckRepository;
  readonly pullRequestCheckPublisher: PullRequestCheckPublisher;
  /** The API's public base URL: a check links to its comparison there. Null: no link. */
  readonly checkDetailsBaseUrl?: string | null;
}

function trimSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

/** The API's URL of a check's comparison (GET /repos/{repo_id}/pull-request-checks/{check_id}). */
export const checkDetailsUrl = (baseUrl: string | null | undefined, check: PullRequestCheckRecord) =>
  baseUrl ? `${trimSlashes(baseUrl)}/api/v1/repos/${check.repoId}/pull-request-checks/${check.id}` : null;

/** Publishes a rendering of the check on its head and records where it went. */
export async function publishCheck(
  deps: CheckPublishingDeps,
  input: PullRequestCheckStepInput,
  check: PullRequestCheckRecord,
  render: (options: RenderCheckOptions) => PullRequestCheckReport,
): Promise<PullRequestCheckReport> {
  const options = {
    checkId: check.id,
    headSha: check.headSha,
    detailsUrl: checkDetailsUrl(deps.checkDetailsBaseUrl, check),
    // Check runs offer the action; the publisher drops it for a commit status.
    actions: check.delivery !== 'commit_status',
  };
  const report = render(options);
  const published = await deps.pullRequestCheckPublisher.publish(
    {
      orgId: input.orgId,
      repoId: input.repoId,
      owner: input.owner,
      name: input.name,
      checkRunId: check.checkRunId,
    },
    report,
  );
  await deps.pullRequestChecks.recordDelivery(
    check.id,
    published.delivery,
    published.checkRunId ?? check.checkRunId,
  );
  return report;
}
