import type {
  CheckConclusion,
  CheckDelivery,
  PullRequestCheckRecord,
  PullRequestComparison,
} from './pull-request-check';

export interface NewPullRequestCheck {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly prNumber: number;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string | null;
  readonly requestedBy: string;
}

/** Checks of pull requests, one row per head commit (a rerequest of the same head reuses it). */
export interface PullRequestCheckRepository {
  /**
   * In the caller's transaction: the check of this head, created queued when there is none (or
   * made queued again when it ended: a rerequest). Returns the row as it now is.
   */
  request(check: NewPullRequestCheck): Promise<PullRequestCheckRecord>;
  get(id: string): Promise<PullRequestCheckRecord | null>;
  /** The check GitHub knows by this check run id, on this repository. */
  findByCheckRun(repoId: string, checkRunId: string): Promise<PullRequestCheckRecord | null>;
  /** Newest first. */
  listForPullRequest(repoId: string, prNumber: number): Promise<PullRequestCheckRecord[]>;
  markInProgress(id: string): Promise<void>;
  /** The check run (or status) published for it: a later update edits the same run. */
  recordDelivery(id: string, delivery: CheckDelivery, checkRunId: string | null): Promise<void>;
  complete(id: string, comparison: PullRequestComparison, conclusion: CheckConclusion): Promise<void>;
  /** A newer head of the same pull request was asked for before this one completed. */
  supersede(id: string): Promise<void>;
  fail(id: string, errorCode: string): Promise<void>;
}
