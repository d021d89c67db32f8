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
  /**
   * A `pull_request` delivery names this commit as the pull request's head: it becomes the newest
   * head. Unset for a rerequest or an accepted risk, which ask again for a head already known.
   */
  readonly headEvent?: boolean;
}

export interface RequestOptions {
  /**
   * Left to whoever asked for this long (it sends the request to the workflow right after its
   * commit); then the relay sends it if it is still not sent. Default 0: due at once.
   */
  readonly relayHoldMs?: number;
  /** The task queue whose relay sends it (see claimUnrelayed); none: no relay sends it. */
  readonly taskQueue?: string;
}

/** Checks of pull requests, one row per head commit (a rerequest of the same head reuses it). */
export interface PullRequestCheckRepository {
  /**
   * In the caller's transaction: the check of this head, created queued when there is none, or
   * made queued again with a new request time (a rerequest; a check in progress is checked again
   * from the start). Returns the row as it now is.
   */
  request(check: NewPullRequestCheck, options?: RequestOptions): Promise<PullRequestCheckRecord>;
  get(id: string): Promise<PullRequestCheckRecord | null>;
  /** The check GitHub knows by this check run id, on this repository. */
  findByCheckRun(repoId: string, checkRunId: string): Promise<PullRequestCheckRecord | null>;
  /** Newest first. */
  listForPullRequest(repoId: string, prNumber: number): Promise<PullRequestCheckRecord[]>;
  /** The check of the pull request's newest head (the latest `headAt`), if any. */
  newestHead(repoId: string, prNumber: number): Promise<PullRequestCheckRecord | null>;
  /**
   * Queued requests of this task queue due to be sent to their pull request's workflow (never sent, or their send was
   * not confirmed in time), oldest first; each is held for `leaseMs` from now so no other relay
   * round sends it meanwhile. In the system's scope.
   */
  claimUnrelayed(taskQueue: string, limit: number, leaseMs: number): Promise<PullRequestCheckRecord[]>;
  /** The workflow took the request made at `requestedAt` (a rerequest since then is still due). */
  markRelayed(id: string, requestedAt: Date): Promise<void>;
  /** Queued → in_progress; false when the row is no longer the queued request made at `requestedAt`. */
  markInProgress(id: string, requestedAt?: Date): Promise<boolean>;
  /** The comparison of a check still in progress (publishing it completes the check). */
  saveComparison(id: string, comparison: PullRequestComparison): Promise<void>;
  /** The check run (or status) published for it: a later update edits the same run. */
  recordDelivery(id: string, delivery: CheckDelivery, checkRunId: string | null): Promise<void>;
  /**
   * The last three end a check still queued or in progress; with `requestedAt`, only while it is
   * still that request (a rerequest since then is another request, checked on its own).
   */
  complete(
    id: string,
    comparison: PullRequestComparison,
    conclusion: CheckConclusion,
    requestedAt?: Date,
  ): Promise<void>;
  /** A newer head of the same pull request was asked for before this one completed. */
  supersede(id: string, requestedAt?: Date): Promise<void>;
  fail(id: string, errorCode: string, requestedAt?: Date): Promise<void>;
  /**
   * Checks of this task queue the relay sent (queued or in progress) that nothing touched for
   * `stalledMs`: their workflow may have ended without them. Each is touched, so the next round
   * looks at it again only after another `stalledMs`. In the system's scope.
   */
  claimStalled(taskQueue: string, stalledMs: number, limit: number): Promise<PullRequestCheckRecord[]>;
  /**
   * A stalled check asked for again (a new request time, due to the relay at once), if it is still
   * the request made at `requestedAt` and not ended. Returns the row as it now is, or null.
   */
  requeueStalled(id: string, requestedAt: Date): Promise<PullRequestCheckRecord | null>;
}
