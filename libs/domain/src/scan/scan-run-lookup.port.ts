/** A scan row that is not final yet, and the workflow run that was to serve it. */
export interface UnfinishedScan {
  readonly scanId: string;
  readonly repoId: string;
  readonly workflowId: string;
  /** The run serving it; null while it waits for the follow-up run of `promisedByRunId`. */
  readonly runId: string | null;
  /** The run whose follow-up (continue-as-new) was promised to serve it, when `runId` is null. */
  readonly promisedByRunId: string | null;
  readonly createdAt: Date;
}

/**
 * `open`: a running run serves the scan or may still (it was handed on by continue-as-new);
 * `ended`: every run that could serve it has closed (completed, failed, cancelled, terminated,
 * timed out, continued as new with another scan, or is not found any more).
 */
export type ScanRunState = 'open' | 'ended';

/** Asks the scan engine about the runs behind scan rows (the reconciler's). */
export interface ScanRunLookup {
  stateOf(scan: UnfinishedScan): Promise<ScanRunState>;
}

/** The code of a scan closed by the reconciler: its run ended without recording an outcome. */
export const SCAN_ABANDONED = 'SCAN_ABANDONED';
