import type { PullRequestCheckRecord } from './pull-request-check';

/** The repository a check is of, as its pull request's workflow is started with it. */
export interface PullRequestCheckTarget {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
}

/**
 * Hands a committed check request to its pull request's workflow, starting the workflow when none
 * runs. Raises TEMPORAL_UNAVAILABLE (`scanEngineUnavailable`) when the engine is out of reach.
 */
export interface PullRequestCheckStarter {
  /** The id of the pull request's workflow (`pr-scan:<repo id>:<number>`). */
  workflowIdFor(repoId: string, prNumber: number): string;
  start(target: PullRequestCheckTarget, check: PullRequestCheckRecord): Promise<void>;
  /** Whether the pull request's workflow runs now (false: ended, terminated or never started). */
  isRunning(repoId: string, prNumber: number): Promise<boolean>;
}
