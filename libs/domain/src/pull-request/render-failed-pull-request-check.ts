import type { PullRequestCheckReport } from './pull-request-check-publisher.port';
import { CHECK_NAME, type RenderCheckOptions } from './render-pull-request-check';

/**
 * The check of a head RepoGuard could not compare (its steps ran out of retries): a failure naming
 * the error code, so the pull request is never left with a pending check, and a head that makes
 * RepoGuard fail (a manifest built to break a step) gets no pass by it.
 */
export function renderFailedPullRequestCheck(
  errorCode: string,
  options: RenderCheckOptions,
): PullRequestCheckReport {
  return {
    name: CHECK_NAME,
    headSha: options.headSha,
    status: 'completed',
    conclusion: 'failure',
    title: `Check failed: ${errorCode}`,
    summary: `RepoGuard could not compare this pull request's dependencies (\`${errorCode}\`). Re-run the check to try again.`,
    annotations: [],
    detailsUrl: options.detailsUrl,
    externalId: options.checkId,
    offerAcceptRisk: false,
    errorCode,
  };
}

/** The pending check shown while the head is compared. */
export function renderPendingPullRequestCheck(options: RenderCheckOptions): PullRequestCheckReport {
  return {
    name: CHECK_NAME,
    headSha: options.headSha,
    status: 'in_progress',
    conclusion: null,
    title: 'Checking dependencies',
    summary: 'RepoGuard is comparing the dependencies this pull request changes with its base.',
    annotations: [],
    detailsUrl: options.detailsUrl,
    externalId: options.checkId,
    offerAcceptRisk: false,
  };
}

/** The check of a head a newer head replaced before it completed: closed, pointing to the newer one. */
export function renderSupersededPullRequestCheck(options: RenderCheckOptions): PullRequestCheckReport {
  return {
    ...renderPendingPullRequestCheck(options),
    status: 'completed',
    conclusion: 'neutral',
    title: 'Superseded by a newer commit',
    summary: 'A newer commit of this pull request was pushed before this one was checked: see its check.',
  };
}
