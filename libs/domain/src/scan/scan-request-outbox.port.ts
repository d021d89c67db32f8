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
}

/**
 * Scan requests committed with whatever asked for them (a webhook delivery, an API call) and relayed
 * to the scan engine afterwards, outside any transaction, until it accepts them.
 */
export interface ScanRequestOutbox {
  /** In the caller's transaction: the request exists exactly when what asked for it was recorded. */
  enqueue(request: NewOutboxScanRequest): Promise<void>;
  /**
   * Takes due requests, oldest first, skipping those another relay holds (several API processes
   * relay at once), and leases them so no other relay sends them meanwhile.
   */
  claim(options: ClaimOptions): Promise<OutboxScanRequest[]>;
  markRelayed(id: string): Promise<void>;
  /** Counts the attempt, keeps the error, and makes the request due again after `retryInMs`. */
  reschedule(id: string, error: string, retryInMs: number): Promise<void>;
  /** Gives claimed requests back untouched, due at once, in their order (the round stopped early). */
  release(ids: readonly string[]): Promise<void>;
  /** What still waits to be relayed to this task queue. */
  backlog(taskQueue: string): Promise<OutboxBacklog>;
  /** Deletes requests relayed more than `olderThanMs` ago; returns how many. */
  pruneRelayed(olderThanMs: number): Promise<number>;
}
