import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { scanForRequestQuery, scanRequestedSignal, type ScanRequest } from '@repoguard/contract';

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

  constructor(
    carried: readonly ScanRequest[],
    private readonly scanIds: { readonly thisRun: string; readonly nextRun: string },
  ) {
    this.pending = [...carried];
    this.receivedCount = this.pending.length;
    setHandler(scanRequestedSignal, (request) => {
      // The outbox relays at least once: a request it sent again (a crash between the signal and
      // its mark) is one this run already holds, and is dropped. Only new ids count as arrivals.
      if (request.requestId && this.holds(request.requestId)) return;
      this.pending.push(request);
      this.receivedCount++;
    });
    setHandler(scanForRequestQuery, (requestId) => {
      const { thisRun, nextRun } = this.scanIds;
      if (this.batchRequestIds.has(requestId)) return { scanId: thisRun, servedByThisRun: true };
      if (!this.pending.some((r) => r.requestId === requestId)) return null;
      return this.batchTaken
        ? { scanId: nextRun, servedByThisRun: false }
        : { scanId: thisRun, servedByThisRun: true };
    });
  }

  private holds(requestId: string): boolean {
    return this.batchRequestIds.has(requestId) || this.pending.some((r) => r.requestId === requestId);
  }

  get received(): number {
    return this.receivedCount;
  }

  get pendingCount(): number {
    return this.pending.length;
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

  /** The pending requests, for the follow-up run: from now on they are its own. */
  handOver(): readonly ScanRequest[] {
    this.batchTaken = true;
    return [...this.pending];
  }
}
