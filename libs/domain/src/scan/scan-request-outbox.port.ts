import type { ScanRequestDetails, ScanRouting, ScanTarget } from './scan-requester.port';

/** A scan request as it waits in PostgreSQL for the scan engine to accept it. */
export interface OutboxScanRequest {
  /** Also the request's `requestId`: the workflow drops a second copy of a request it holds. */
  readonly id: string;
  readonly target: ScanTarget;
  readonly details: ScanRequestDetails;
  readonly routing: ScanRouting & { readonly taskQueue: string };
  /** How many relays were tried before this one. */
  readonly attempts: number;
  /**
   * The order requests were committed in (a later one has a higher number), stamped on the request
   * sent: relays may deliver out of that order, and the workflow scans the newest it holds.
   */
  readonly sequence: number;
  /** Which claim of the request this is: `hold` refuses once another relay claimed it since. */
  readonly claim: number;
  readonly createdAt: Date;
}

/**
 * Just before a send: `held` (the lease is renewed), `taken` (another relay claimed the request
 * since, or it was relayed or given up: not ours to send), or `repo_disabled` (the repository was
 * disabled after the request was made: it must not be scanned).
 */
export type OutboxHold = 'held' | 'taken' | 'repo_disabled';

export type OutboxRequestState = 'pending' | 'relayed' | 'gave_up';

/** What became of one request, for whoever was answered with its id. */
export interface OutboxRequestStatus {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly state: OutboxRequestState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly scanId: string | null;
  readonly createdAt: Date;
  readonly relayedAt: Date | null;
  readonly gaveUpAt: Date | null;
}

export interface NewOutboxScanRequest {
  readonly id: string;
  readonly target: ScanTarget;
  readonly details: ScanRequestDetails;
  /** The task queue is always named: only a relay serving that queue sends the request. */
  readonly routing: ScanRouting & { readonly taskQueue: string };
  /**
   * Left to the one who enqueued it for this long (it relays the request itself at once); a relay
   * loop takes it only after that, when the enqueuer died or the engine refused.
   */
  readonly holdMs?: number;
}

export interface ClaimOptions {
  /**
   * Due requests meant for this task queue (ignored with `ids`): a relay loop sends to the Temporal
   * it is connected to, so it takes only what the workers there are meant to run.
   */
  readonly taskQueue: string;
  readonly limit: number;
  /** Nobody else takes a claimed request for this long: the relay's Temporal call must end sooner. */
  readonly leaseMs: number;
  /** Only these requests, whether due or held (the enqueuer relaying its own). */
  readonly ids?: readonly string[];
}

export interface OutboxBacklog {
  readonly pending: number;
  readonly oldestCreatedAt: Date | null;
  /** Given up and not pruned yet: none of them counts as pending. */
  readonly gaveUp: number;
}

/**
 * Scan requests committed with whatever asked for them (a webhook delivery, an API call) and relayed
 * to the scan engine afterwards, outside any transaction, until it accepts them.
 */
export interface ScanRequestOutbox {
  /**
   * In the caller's transaction: the request exists exactly when what asked for it was recorded.
   * False when a request with this id is already held (an idempotent caller asking again).
   */
  enqueue(request: NewOutboxScanRequest): Promise<boolean>;
  /**
   * Takes due requests, the orgs in turn (each org's oldest, then each org's second...), skipping
   * those another relay holds (several API processes relay at once), and leases them so no other
   * relay sends them meanwhile.
   */
  claim(options: ClaimOptions): Promise<OutboxScanRequest[]>;
  /** Renews the lease of a request claimed by `claim`, unless it is no longer this claim's to send. */
  hold(id: string, claim: number, leaseMs: number): Promise<OutboxHold>;
  markRelayed(id: string): Promise<void>;
  /** Counts the attempt, keeps the error, and makes the request due again after `retryInMs`. */
  reschedule(id: string, error: string, retryInMs: number): Promise<void>;
  /** Counts the attempt, keeps the error, and never sends the request again. */
  giveUp(id: string, error: string): Promise<void>;
  /** The scan serving a relayed request, once the workflow told it. */
  recordScan(id: string, scanId: string): Promise<void>;
  /**
   * One request of a repository; null when that repository has none by that id. The caller checks
   * the repository is in its tenant's scope.
   */
  status(repoId: string, id: string): Promise<OutboxRequestStatus | null>;
  /** Gives claimed requests back untouched, due at once, in their order (the round stopped early). */
  release(ids: readonly string[]): Promise<void>;
  /** What still waits to be relayed to this task queue. */
  backlog(taskQueue: string): Promise<OutboxBacklog>;
  /** Deletes requests relayed or given up more than `olderThanMs` ago; returns how many. */
  pruneRelayed(olderThanMs: number): Promise<number>;
}
