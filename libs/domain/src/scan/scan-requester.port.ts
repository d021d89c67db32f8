/** Why a scan is asked for. */
export type ScanTrigger = 'api' | 'push' | 'schedule' | 'advisory';

/** The repository a scan request is for, as its scan workflow is started with it. */
export interface ScanTarget {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
}

export interface ScanRequestDetails {
  readonly trigger: ScanTrigger;
  readonly requestedBy: string;
  readonly commitSha?: string;
  readonly ref?: string;
  readonly deliveryId?: string;
  /** Chosen by the requester, to ask which scan serves this request. */
  readonly requestId?: string;
  /** The outbox's order of the request (later: higher), stamped by the relay as it sends it. */
  readonly sequence?: number;
  /** Carried into every step's logs: the API request's id, the delivery id, the sync's id. */
  readonly correlationId?: string;
  /** trigger `advisory` only: the stored snapshot to match again. */
  readonly snapshotId?: string;
  /** trigger `advisory` only: the task queue its steps run on, so they never delay pushes. */
  readonly taskQueue?: string;
}

export interface ScanTiming {
  readonly quietWindowMs?: number;
  readonly maxWaitMs?: number;
  readonly heartbeatTimeoutMs?: number;
}

/** Where the repository's scan workflow runs when the request starts it; the requester's own by default. */
export interface ScanRouting {
  readonly taskQueue?: string;
  readonly timing?: ScanTiming;
}

export interface ScanRequestReceipt {
  readonly workflowId: string;
  /** The run the request joined: a running scan's, or the one it started. */
  readonly runId: string;
}

export interface ScanAssignment {
  readonly scanId: string;
  /** False when the run had already started scanning and a follow-up run will serve the request. */
  readonly servedByThisRun: boolean;
}

/**
 * Hands a scan request to the repository's scan workflow, starting it when none runs: concurrent
 * requests for one repository join one scan. `request` throws TEMPORAL_UNAVAILABLE when the engine
 * cannot be reached; any other error concerns that request alone.
 */
export interface ScanRequester {
  /** The id of the repository's scan workflow, known before any request reaches it. */
  workflowIdFor(repoId: string): string;
  request(
    target: ScanTarget,
    request: ScanRequestDetails,
    routing?: ScanRouting,
  ): Promise<ScanRequestReceipt>;
  /** Which scan serves a request sent with `requestId`; null when that cannot be told in time. */
  assignment(receipt: ScanRequestReceipt, requestId: string): Promise<ScanAssignment | null>;
}
