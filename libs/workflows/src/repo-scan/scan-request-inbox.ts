import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  scanForRequestQuery,
  scanRequestedSignal,
  type ScanRequest,
  type ServedRequest,
} from '@repoguard/contract';

// How many served requests a run remembers and hands to the next: enough for the copies a relay
// can send late (its lease and retries span minutes, a run serves a handful), small in history.
export const SERVED_REQUESTS_KEPT = 200;

// A scan covers every request made before the request it scanned, for the same ref.
interface Coverage {
  readonly scanId: string;
  readonly ref: string | null;
  readonly sequence: number;
}

export interface DebounceWindow {
  /** Scan once no request has come for this long... */
  readonly quietWindowMs: number;
  /** ...but never later than this after the first request. */
  readonly maxWaitMs: number;
}

/**
 * The scan requests one run holds: every `scanRequested` signal lands here, `scanForRequest`
 * answers from here, and the debounce waits on it. Constructing it registers both handlers.
 */
export class ScanRequestInbox {
  private readonly pending: ScanRequest[];
  private receivedCount: number;
  private readonly batchRequestIds = new Set<string>();
  // Once the scan has taken its batch, what is still pending belongs to the follow-up run.
  private batchTaken = false;
  // Requests earlier runs served (carried) and late copies this run acknowledged, oldest first.
  private readonly served: ServedRequest[];
  private scanned: Coverage | null = null;

  constructor(
    carried: readonly ScanRequest[],
    private readonly scanIds: { readonly thisRun: string; readonly nextRun: string },
    servedBefore: readonly ServedRequest[] = [],
  ) {
    this.pending = [...carried];
    this.receivedCount = this.pending.length;
    this.served = [...servedBefore];
    setHandler(scanRequestedSignal, (request) => {
      // The outbox relays at least once: a request it sent again (a crash between the signal and
      // its mark, a lease that ran out) is one this run holds or an earlier run served, and is
      // dropped. Only new ids count as arrivals.
      if (request.requestId && this.holds(request.requestId)) return;
      // A late copy of a request older than one already scanned for the same ref: that scan saw
      // a newer commit, so scanning this one would step back. Acknowledged, not scanned.
      const coverage = this.coverageOf(request);
      if (coverage) {
        if (request.requestId) this.remember({ requestId: request.requestId, ...coverage });
        return;
      }
      this.pending.push(request);
      this.receivedCount++;
    });
    setHandler(scanForRequestQuery, (requestId) => {
      const { thisRun, nextRun } = this.scanIds;
      if (this.batchRequestIds.has(requestId)) return { scanId: thisRun, servedByThisRun: true };
      if (!this.pending.some((r) => r.requestId === requestId)) {
        const earlier = this.served.find((r) => r.requestId === requestId);
        return earlier ? { scanId: earlier.scanId, servedByThisRun: earlier.scanId === thisRun } : null;
      }
      return this.batchTaken
        ? { scanId: nextRun, servedByThisRun: false }
        : { scanId: thisRun, servedByThisRun: true };
    });
  }

  private holds(requestId: string): boolean {
    return (
      this.batchRequestIds.has(requestId) ||
      this.pending.some((r) => r.requestId === requestId) ||
      this.served.some((r) => r.requestId === requestId)
    );
  }

  /** The scan (this run's or an earlier one) that already covers a sequenced request, if any. */
  private coverageOf(request: ScanRequest): Coverage | null {
    if (request.sequence === undefined) return null;
    const ref = request.ref ?? null;
    const covers = (c: { ref?: string | null; sequence?: number }) =>
      c.sequence !== undefined && c.sequence >= request.sequence! && (c.ref ?? null) === ref;
    if (this.scanned && covers(this.scanned)) return this.scanned;
    for (let i = this.served.length - 1; i >= 0; i--) {
      const earlier = this.served[i]!;
      if (covers(earlier)) return { scanId: earlier.scanId, ref, sequence: earlier.sequence! };
    }
    return null;
  }

  private remember(served: ServedRequest): void {
    this.served.push(served);
    if (this.served.length > SERVED_REQUESTS_KEPT)
      this.served.splice(0, this.served.length - SERVED_REQUESTS_KEPT);
  }

  get received(): number {
    return this.receivedCount;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** The pending requests `test` picks (the same objects the inbox holds). */
  pendingWhere(test: (r: ScanRequest) => boolean): ScanRequest[] {
    return this.pending.filter(test);
  }

  /** Whether a pending request passes `test`; read by conditions, so it copies nothing. */
  hasPending(test: (r: ScanRequest) => boolean): boolean {
    return this.pending.some(test);
  }

  /**
   * Takes out of the pending requests those `served` picks: this run's scan served them although
   * they came after its batch, so they count as served by it and wait for no follow-up run.
   */
  serveFromPending(served: (r: ScanRequest) => boolean): void {
    const kept = this.pending.filter((r) => !served(r));
    for (const r of this.pending) {
      if (served(r) && r.requestId) this.remember({ requestId: r.requestId, scanId: this.scanIds.thisRun });
    }
    this.pending.splice(0, this.pending.length, ...kept);
  }

  /**
   * Waits for a first request, then until none has come for the quiet window, at most the maximum
   * wait in all. A flood of requests must not grow one history without bound: when Temporal
   * suggests it, `carryOver` hands them to a fresh run (continue-as-new, which never returns).
   */
  async debounce(window: DebounceWindow, carryOver: () => Promise<never>): Promise<void> {
    await condition(() => this.pending.length > 0);
    const firstRequestAt = Date.now();
    for (;;) {
      const seen = this.receivedCount;
      const left = window.maxWaitMs - (Date.now() - firstRequestAt);
      if (left <= 0) return;
      const more = await condition(() => this.receivedCount !== seen, Math.min(window.quietWindowMs, left));
      if (!more) return;
      if (workflowInfo().continueAsNewSuggested) await carryOver();
    }
  }

  /** Takes every pending request as this run's batch; later ones wait for the follow-up run. */
  takeBatch(): ScanRequest[] {
    const batch = this.pending.splice(0, this.pending.length);
    this.batchTaken = true;
    for (const r of batch) if (r.requestId) this.batchRequestIds.add(r.requestId);
    return batch;
  }

  /**
   * Called with the request the batch's scan serves: every request of the batch is served by this
   * run's scan, and when it scans a ref (not a stored snapshot) it covers older requests for it.
   */
  scanning(request: ScanRequest, rematch: boolean): void {
    const { thisRun } = this.scanIds;
    const ref = request.ref ?? null;
    if (!rematch && request.sequence !== undefined) {
      this.scanned = { scanId: thisRun, ref, sequence: request.sequence };
    }
    for (const id of this.batchRequestIds) {
      this.remember({
        requestId: id,
        scanId: thisRun,
        ...(this.scanned ? { ref: this.scanned.ref, sequence: this.scanned.sequence } : {}),
      });
    }
  }

  /** The pending requests, for the follow-up run: from now on they are its own. */
  handOver(): readonly ScanRequest[] {
    this.batchTaken = true;
    return [...this.pending];
  }

  /** What this run and the ones before it served, for the follow-up run (the newest, bounded). */
  servedOnward(): readonly ServedRequest[] {
    return this.served.slice(-SERVED_REQUESTS_KEPT);
  }
}
