/** A check of one head of one pull request to run (or run again), as the pr-scan workflow takes it. */
export interface PullRequestCheckStart {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
  readonly prNumber: number;
  /** The `pull_request_checks` row, committed before the start. */
  readonly checkId: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string | null;
  readonly requestedBy: string;
  readonly correlationId: string | null;
}

/**
 * Hands a queued check to the pull request's workflow (starting it when none runs). Called after
 * the row committed; throws when the engine is out of reach (the row stays queued).
 */
export interface PullRequestCheckStarter {
  start(check: PullRequestCheckStart): Promise<void>;
}
