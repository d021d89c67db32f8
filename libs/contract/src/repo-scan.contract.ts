import { defineQuery, defineSignal } from '@temporalio/workflow';

export const REPO_SCAN_WORKFLOW = 'repoScanWorkflow';

/** One live scan workflow per repository: requests for a repo being scanned join it. */
export const repoScanWorkflowId = (repoId: string): string => `repo-scan:${repoId}`;

export type ScanTrigger = 'api' | 'push' | 'schedule' | 'advisory';

/** Every reason to scan (API call, push webhook, schedule) arrives as this signal. */
export interface ScanRequest {
  readonly trigger: ScanTrigger;
  readonly commitSha?: string;
  readonly ref?: string;
  readonly requestedBy: string;
  readonly deliveryId?: string;
  /** Chosen by the requester, to ask the workflow which scan serves this request. */
  readonly requestId?: string;
  /**
   * The order the request was committed in (the outbox's): a later request has a higher one. The
   * relay may deliver requests out of that order, so the workflow scans the highest, not the last
   * to arrive. Absent on requests sent before it existed.
   */
  readonly sequence?: number;
  /** The API request's X-Request-Id or the webhook's delivery id: carried into every step's logs. */
  readonly correlationId?: string;
  /**
   * trigger `advisory` only: the stored snapshot to match again (no fetch, no parse), because the
   * advisory mirror changed for a package it holds. A batch with any other request scans instead.
   */
  readonly snapshotId?: string;
  /** trigger `advisory` only: the task queue its steps run on, so they never delay pushes. */
  readonly taskQueue?: string;
}

export interface RepoScanInput {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
  /** Wait this long without a new request before scanning (debounce). */
  readonly quietWindowMs?: number;
  /** ...but never longer than this after the first request. */
  readonly maxWaitMs?: number;
  /** A step on a worker that died is retried elsewhere after this long without a heartbeat. */
  readonly heartbeatTimeoutMs?: number;
  /**
   * How long a re-match step may wait for a worker on the re-match queue: past it the re-match is
   * released (its scan closed FAILED, REMATCH_DEFERRED) and asked again in the next run.
   */
  readonly rematchQueueTimeoutMs?: number;
  /**
   * The deferral that reaches this count is the last: its scan closes FAILED with
   * REMATCH_ABANDONED and the re-match is dropped, so dead re-match workers cost a bounded number
   * of FAILED rows per repository.
   */
  readonly maxRematchDeferrals?: number;
  /** A deferred re-match waits twice as long after each deferral (from the quiet window), at most this. */
  readonly maxRematchBackoffMs?: number;
  /** How many times the carried re-match requests were deferred already (continue-as-new). */
  readonly rematchDeferrals?: number;
  /** Requests carried over from the previous run by continue-as-new. */
  readonly carriedRequests?: readonly ScanRequest[];
  /** The id this run's scan takes: a run continued-as-new was told it in advance. */
  readonly scanId?: string;
  /**
   * The requests earlier runs scanned, most recent last, with the scan that served each (bounded):
   * a copy the outbox relays again after its run continued as new is acknowledged, not scanned.
   */
  readonly servedRequests?: readonly ServedRequest[];
  /**
   * How many more requests the carried ones stand for: a run hands on only the newest request per
   * ref and per re-matched snapshot, the others are folded into them (served by the same scan).
   */
  readonly foldedRequests?: number;
  /** When the first of the carried requests arrived (epoch ms): the maximum wait counts from it. */
  readonly firstRequestAt?: number;
  /**
   * When the last of the carried requests arrived (epoch ms): the quiet window counts from it, so a
   * request that waited through a scan (or a re-match it ended) is not made to wait a window again.
   */
  readonly lastRequestAt?: number;
  /**
   * A run that has taken this many signals hands its requests to a fresh run at the next one
   * instead of waiting on, well before the server's 10,000 signals per run. Tests set it low.
   */
  readonly continueAsNewAfterSignals?: number;
}

/**
 * A request an earlier run served, and the scan that served it; with the ref and sequence that scan
 * scanned, when it scanned a sequenced request (it covers older requests for that ref).
 */
export interface ServedRequest {
  readonly requestId: string;
  readonly scanId: string;
  /** The webhook delivery the request came from: a redelivery of it is acknowledged, not scanned. */
  readonly deliveryId?: string;
  readonly ref?: string | null;
  readonly sequence?: number;
}

/** SUPERSEDED: a re-match that ended without a verdict because a newer scan took over. */
export type ScanPhase =
  | 'QUEUED'
  | 'FETCHING'
  | 'PARSING'
  | 'MATCHING'
  | 'PERSISTING'
  | 'EVALUATING'
  | 'COMPLETED'
  | 'FAILED'
  | 'SUPERSEDED';

export interface ScanStatusView {
  readonly scanId: string;
  readonly phase: ScanPhase;
  readonly requestsReceived: number;
  readonly pendingRequests: number;
  readonly commitSha: string | null;
  readonly counts: Readonly<Record<string, number>>;
  readonly errorCode: string | null;
}

export interface RepoScanResult {
  readonly scanId: string;
  readonly phase: 'COMPLETED' | 'FAILED' | 'SUPERSEDED';
  readonly commitSha: string | null;
  readonly policyStatus: 'OK' | 'WARN' | 'FAIL' | null;
  readonly errorCode: string | null;
  readonly requestsCoalesced: number;
}

/** Which scan serves a request: this run's, or the follow-up run's when this one had started scanning. */
export interface ScanAssignment {
  readonly scanId: string;
  readonly servedByThisRun: boolean;
}

export const scanRequestedSignal = defineSignal<[ScanRequest]>('scanRequested');
export const scanStatusQuery = defineQuery<ScanStatusView>('status');
/** Answers null for a request id this run never received. */
export const scanForRequestQuery = defineQuery<ScanAssignment | null, [string]>('scanForRequest');

/**
 * The failure type of a step whose repository was disconnected, purged or whose org was deleted
 * (the domain's REPO_DISCONNECTED): the workflow ends there, dropping the requests it holds.
 */
export const REPO_DISCONNECTED_FAILURE = 'REPO_DISCONNECTED';

/**
 * The failure type of a scan step a worker turned away because the step's org already holds its
 * share of that worker's slots (SCAN_SLOTS_PER_ORG). Nothing ran: the workflow waits on a timer,
 * holding no slot, and schedules the step again.
 */
export const ORG_BUSY_FAILURE = 'ORG_BUSY';

/**
 * The fairness key of an org's scans: the task queues hand tasks out to the keys in turn, so an
 * org with a backlog of scans waits behind itself, not in front of every other org.
 */
export const scanFairnessKey = (orgId: string): string => `org:${orgId}`.slice(0, 64);

export const DEFAULT_QUIET_WINDOW_MS = 10_000;
export const DEFAULT_MAX_WAIT_MS = 120_000;
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 30_000;
export const DEFAULT_REMATCH_QUEUE_TIMEOUT_MS = 10 * 60_000;

/**
 * The error code of a re-match released because no worker of the re-match queue took one of its
 * steps within `rematchQueueTimeoutMs`: its scan is closed with it and the re-match asked again.
 */
export const REMATCH_DEFERRED = 'REMATCH_DEFERRED';
/**
 * The error code of the last deferral a re-match is allowed (`maxRematchDeferrals`): its scan is
 * closed with it and the re-match dropped; the next advisory sync that targets the repository asks again.
 */
export const REMATCH_ABANDONED = 'REMATCH_ABANDONED';
export const DEFAULT_MAX_REMATCH_DEFERRALS = 5;
export const DEFAULT_MAX_REMATCH_BACKOFF_MS = 30 * 60_000;
/** Leaves most of the server's 10,000 signals per run for the ones that arrive during a scan. */
export const DEFAULT_CONTINUE_AS_NEW_AFTER_SIGNALS = 2_000;
