import { defineSignal } from '@temporalio/workflow';

/**
 * Pull-request checks. One workflow per pull request, `pr-scan:<repo id>:<number>`, debounced like
 * pushes: a newer head cancels the check of an older one, and the newest head gets the final check.
 */
export const PR_SCAN_WORKFLOW = 'prScanWorkflow';

export const prScanWorkflowId = (repoId: string, prNumber: number): string => `pr-scan:${repoId}:${prNumber}`;

/** A check of one head commit, asked for by a `pull_request` delivery or a `check_run.rerequested`. */
export interface PullRequestCheckRequest {
  /** The `pull_request_checks` row, committed with the delivery that asked for it. */
  readonly checkId: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string | null;
  readonly requestedBy: string;
  readonly correlationId?: string;
}

export interface PrScanInput {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
  readonly prNumber: number;
  /** Wait this long without a newer head before checking (debounce). */
  readonly quietWindowMs?: number;
  /** Requests carried over a continue-as-new: only the newest is ever checked. */
  readonly carried?: PullRequestCheckRequest;
}

export const pullRequestCheckRequested = defineSignal<[PullRequestCheckRequest]>('pullRequestCheckRequested');
