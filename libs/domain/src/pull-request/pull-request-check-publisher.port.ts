import type { CheckConclusion, CheckDelivery } from './pull-request-check';

/** GitHub's annotation levels. */
export type CheckAnnotationLevel = 'failure' | 'warning' | 'notice';

export interface CheckAnnotation {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly level: CheckAnnotationLevel;
  readonly title: string;
  readonly message: string;
}

/** A check as GitHub is to show it; rendered from a comparison by `renderPullRequestCheck`. */
export interface PullRequestCheckReport {
  /** `RepoGuard`; statuses use it as their context. */
  readonly name: string;
  readonly headSha: string;
  readonly status: 'in_progress' | 'completed';
  readonly conclusion: CheckConclusion | null;
  readonly title: string;
  /** Markdown, at most 65,535 characters (GitHub's limit). */
  readonly summary: string;
  /** All of them: the publisher sends at most 50 per request and appends the rest. */
  readonly annotations: readonly CheckAnnotation[];
  readonly detailsUrl: string | null;
  /** Our check's id: GitHub hands it back on rerequests and actions. */
  readonly externalId: string;
  /** Offer the "Accept risk (30 days)" action (check runs only; there are introduced findings). */
  readonly offerAcceptRisk: boolean;
  /** Set when RepoGuard could not compare the head (a commit status says `error`, not a verdict). */
  readonly errorCode?: string;
}

export interface CheckPublishTarget {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
  /**
   * The check run this check published last. GitHub's publisher finds its runs by external id: a
   * new verdict goes on a new run (GitHub only appends annotations), the same verdict on the same.
   */
  readonly checkRunId: string | null;
}

export interface PublishedCheck {
  readonly delivery: CheckDelivery;
  readonly checkRunId: string | null;
}

/**
 * Puts a check on a commit of the repository: a check run when the GitHub App is installed on it
 * (through an installation token), else a commit status through the org's token.
 */
export interface PullRequestCheckPublisher {
  publish(target: CheckPublishTarget, report: PullRequestCheckReport): Promise<PublishedCheck>;
}
