import type { ScanStepName } from './scan-step-name';
import type { PolicyReason, PolicyStatus } from '../policy/evaluate-policy';
import type { UnfinishedScan } from './scan-run-lookup.port';
import type { JudgedFinding } from '../finding/current-finding';

export interface ScanRecordStart {
  readonly scanId: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly trigger: string;
  readonly requestedBy: string | null;
  readonly ref: string | null;
}

/** A scan row as a request queues it: no run yet when a follow-up run will serve the request. */
export type ScanRecordQueued = Omit<ScanRecordStart, 'runId'> & {
  readonly runId: string | null;
  /** With no run yet: the run whose follow-up will serve the request. */
  readonly promisedByRunId?: string | null;
};

/** The final states of a scan row: no step writes to a row in one of them. */
export const FINAL_SCAN_STATUSES = ['COMPLETED', 'FAILED', 'SUPERSEDED'] as const;

/** What a scan's verdict was judged on: the org's policy version (null: the default) and findings. */
export interface VerdictBasis {
  readonly policyVersion: number | null;
  readonly findings: readonly JudgedFinding[];
}

/** How a scan without a verdict of its own ends (`ScanRepository.close`). */
export type ScanCloseOutcome =
  | { readonly status: 'SUPERSEDED' }
  | { readonly status: 'FAILED'; readonly code: string; readonly message: string };

/** The policy's verdict on one scan's snapshot, as it is stored. */
export interface ScanEvaluationRecord {
  readonly orgId: string;
  readonly repoId: string;
  readonly snapshotId: string;
  readonly scanId: string;
  readonly policyVersion: number | null;
  readonly status: PolicyStatus;
  readonly reasons: readonly PolicyReason[];
}

/**
 * Scan rows and their verdicts. The inserts (queue, start, saveEvaluation) refuse with
 * REPO_DISCONNECTED, writing nothing, once the repository is gone; updates of a removed row do nothing.
 */
export interface ScanRepository {
  /** Inserts the QUEUED row; false when it was there already (the request joined a queued scan). */
  queue(scan: ScanRecordQueued): Promise<boolean>;
  /**
   * Creates the scan row, or leaves it as it is when a retry already did. Its start time and start
   * order come from the database, not the worker's clock: `newerScanThan` compares them across hosts.
   */
  start(scan: ScanRecordStart): Promise<void>;
  /** Moves the scan to a step; a row already final (a late attempt of an abandoned step) stays. */
  phase(scanId: string, phase: string, update?: { commitSha?: string; snapshotId?: string }): Promise<void>;
  /** Counts are keyed in snake_case: the API answers them as stored. */
  recordPhase(
    scanId: string,
    phase: ScanStepName,
    durationMs: number,
    counts?: Record<string, number>,
  ): Promise<void>;
  complete(scanId: string, now: Date): Promise<void>;
  /**
   * Completes the scan and sets the repository's status from its verdict, in one transaction under
   * the per-repository lock `FindingRepository.sync` takes, unless a newer scan has reached its
   * persist step: then the scan is closed SUPERSEDED instead and the newer scan's id is answered.
   * `reevaluateAt`: when the verdict may lapse with nothing changing (verdictLapsesAt). An earlier
   * time already stored stands (a policy change marked the repository due). When the org's policy
   * or the findings' triage are no longer those in `judgedOn` (a change came in between the judging
   * and this), the verdict is stored but the repository is marked due at once, for the sweep.
   * A status that changes records `repo.status_changed` (cause `scan`, with `reasons`) in the same
   * transaction; a retry finds the scan completed and records nothing.
   */
  completeUnlessSuperseded(
    scanId: string,
    repoId: string,
    policyStatus: PolicyStatus,
    now: Date,
    reevaluateAt?: Date | null,
    judgedOn?: VerdictBasis,
    reasons?: readonly PolicyReason[],
  ): Promise<{ supersededBy: string | null }>;
  /** Closes the scan SUPERSEDED (a newer scan took over), unless its row is final already. */
  supersede(scanId: string, now: Date): Promise<void>;
  /**
   * A scan of the repository that started after this one, in the order the database saw the starts,
   * and has reached its persist step; or this scan itself once its row was closed without a verdict
   * (SUPERSEDED, FAILED): either way, this scan writes no findings and no verdict any more.
   */
  newerScanThan(scanId: string): Promise<string | null>;
  /**
   * Closes a scan that ends without a verdict of its own, creating its row when no step did yet:
   * SUPERSEDED (a newer scan took over) or FAILED with a code. A row already final is left alone.
   */
  close(scan: ScanRecordStart, outcome: ScanCloseOutcome, now: Date): Promise<void>;
  /**
   * The snapshot of the repository's last completed scan, with its commit; null before any. With
   * `defaultBranch`, only scans of that branch count (a scan of another ref asked through the API
   * is no base for a pull request), and with `commitSha` only those of that commit.
   */
  latestCompletedSnapshot(
    repoId: string,
    only?: { readonly defaultBranch: string; readonly commitSha?: string },
  ): Promise<{ snapshotId: string; commitSha: string; scanId?: string } | null>;
  fail(scanId: string, code: string, message: string, now: Date): Promise<void>;
  /** Stores the verdict once per scan: a retry finds it stored and writes nothing. */
  saveEvaluation(evaluation: ScanEvaluationRecord): Promise<void>;
  /**
   * Rows not final yet (neither COMPLETED nor FAILED) created before `createdBefore`, oldest first,
   * from after the `after` row on when given (the reconciler's cursor).
   */
  unfinished(
    createdBefore: Date,
    limit: number,
    after?: { readonly createdAt: Date; readonly scanId: string },
  ): Promise<UnfinishedScan[]>;
  /** Closes a row that is not final yet as FAILED with this code; false when it was final already. */
  abandon(scanId: string, code: string, message: string, now: Date): Promise<boolean>;
  /**
   * Records a scan's failure in one transaction: the row FAILED with its code, the repository's
   * status (a failed scan keeps an earlier verdict; ERROR when it had none), `scan.failed` the first
   * time the row becomes FAILED (a retry records no second one) and `repo.status_changed` when the
   * status changes.
   */
  recordFailure(
    scan: { readonly scanId: string; readonly repoId: string },
    code: string,
    message: string,
    now: Date,
  ): Promise<void>;
}
