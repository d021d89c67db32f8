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
  /**
   * When the row was asked for (ISO 8601, milliseconds): the newest request wins, whatever order
   * signals arrive in (a relay may send an older one late); a rerequest of the same head is newer.
   */
  readonly requestedAt: string;
  /**
   * When a `pull_request` delivery last named this head (ISO 8601, milliseconds): the newest head
   * is the latest of these, whatever the request times say (a rerequest of an older head is newer
   * by request time, yet never makes that head the newest).
   */
  readonly headAt: string;
  readonly correlationId?: string;
}

/** What orders the requests of one pull request: its newest head, then its newest request. */
export type CheckRequestOrder = Pick<PullRequestCheckRequest, 'checkId' | 'headAt' | 'requestedAt'>;

export interface PrScanInput {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
  readonly prNumber: number;
  /** Whether the base is the default branch, whose latest completed scan can stand for it. */
  readonly defaultBranch?: string;
  /** Wait this long without a newer head before checking (debounce); default as pushes. */
  readonly quietWindowMs?: number;
  /** The run ends after this long with nothing to check (the next request starts a new one). */
  readonly idleMs?: number;
  /** Continue-as-new after this many checks, so a long-lived pull request's history stays small. */
  readonly checksPerRun?: number;
  /** Heartbeat timeout of the long steps; default as scans. */
  readonly heartbeatTimeoutMs?: number;
  /** The request waiting to be checked, carried over a continue-as-new. */
  readonly carried?: PullRequestCheckRequest;
  /** The newest request the runs before saw: an older one arriving late is never checked. */
  readonly latest?: CheckRequestOrder;
}

export const DEFAULT_PR_SCAN_IDLE_MS = 60 * 60 * 1000;
export const DEFAULT_PR_CHECKS_PER_RUN = 20;

export const pullRequestCheckRequested = defineSignal<[PullRequestCheckRequest]>('pullRequestCheckRequested');
