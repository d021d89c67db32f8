import {
  SCAN_ABANDONED,
  SYSTEM_SCOPE,
  type ScanRunLookup,
  type UnfinishedScan,
  type UnitOfWork,
} from '@repoguard/domain';

export interface ReconcileAbandonedScansCommand {
  /** Rows younger than this are left alone: their run may not have started or written yet. */
  readonly graceMs: number;
  /** Rows looked at per call, oldest first. */
  readonly limit: number;
  /** Go on after this row (the last of the previous round); from the oldest when absent. */
  readonly after?: ReconcileCursor;
}

export interface ReconcileCursor {
  readonly createdAt: Date;
  readonly scanId: string;
}

export interface ReconcileRound {
  readonly checked: number;
  /** Closed as FAILED / SCAN_ABANDONED. */
  readonly abandoned: number;
  /** Their run is still open (or may still serve them): untouched. */
  readonly open: number;
  /** The engine could not be asked (out of reach, say): tried again next round. */
  readonly unknown: number;
  /** Where the next round goes on; null when this one reached the newest row (start over). */
  readonly next: ReconcileCursor | null;
}

/**
 * Brings scan rows whose workflow run ended without recording an outcome (a terminate, a run that
 * failed or was cancelled before its failure record ran, a continue-as-new that dropped the scan)
 * to a final state: FAILED with SCAN_ABANDONED, as the API shows any failure. A row whose run may
 * still serve it is never touched, and the update is conditional, so an outcome a late step
 * records first stands.
 */
export class ReconcileAbandonedScans {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: ScanRunLookup,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute({ graceMs, limit, after }: ReconcileAbandonedScansCommand): Promise<ReconcileRound> {
    const now = this.now();
    const candidates = await this.uow.transaction(SYSTEM_SCOPE, ({ scans }) =>
      scans.unfinished(new Date(now.getTime() - graceMs), limit, after),
    );
    let abandoned = 0;
    let open = 0;
    let unknown = 0;
    for (const scan of candidates) {
      // Outside any transaction: one call to the engine per row.
      const state = await this.runs.stateOf(scan).catch(() => null);
      if (state === null) unknown++;
      else if (state === 'open') open++;
      else if (await this.close(scan)) abandoned++;
    }
    // Rows still open would fill every round from the oldest on: the next round goes on after them.
    const last = candidates.length === limit ? candidates[candidates.length - 1] : undefined;
    const next = last ? { createdAt: last.createdAt, scanId: last.scanId } : null;
    return { checked: candidates.length, abandoned, open, unknown, next };
  }

  private close(scan: UnfinishedScan): Promise<boolean> {
    return this.uow.transaction(SYSTEM_SCOPE, ({ scans }) =>
      scans.abandon(
        scan.scanId,
        SCAN_ABANDONED,
        `the workflow run ${scan.runId ?? scan.promisedByRunId ?? '(unknown)'} of ${scan.workflowId} ended without recording this scan's outcome`,
        this.now(),
      ),
    );
  }
}
