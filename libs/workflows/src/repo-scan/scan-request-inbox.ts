import { condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  scanForRequestQuery,
  scanRequestedSignal,
  type ScanRequest,
  type ServedRequest,
} from '@repoguard/contract';
import { isRematchRequest, mustNotWait } from './rematch-coverage';

// How many served requests a run remembers and hands to the next: enough for the copies a relay
// can send late (its lease and retries span minutes, a run serves a handful), small in history.
export const SERVED_REQUESTS_KEPT = 200;

// Runs recorded before a run's signals were bounded never continued as new on a signal count (nor
// while waiting for a first request): in them this patch is absent and they wait on as recorded.
export const BOUNDED_RUN_PATCH = 'bounded-run';

// Runs recorded before the quiet window counted from the last carried request waited a whole
// window after a continue-as-new: in them this patch is absent and they wait as recorded.
export const CARRIED_QUIET_WINDOW_PATCH = 'quiet-window-from-last-request';

// Runs recorded before re-matches stopped waiting the quiet window waited it for a re-match alone
// too: in them this patch is absent and they wait as recorded.
export const REMATCH_WITHOUT_QUIET_WINDOW_PATCH = 'rematch-without-quiet-window';

// A run scanning may take this many times its quiet-window share of signals before it hands the scan
// on (2,000 x 3 by default), and never more than MAX_SIGNALS_PER_RUN: the rest of the server's
// 10,000 is headroom for the signals that come while it closes the scan and continues as new.
const SIGNALS_DURING_SCAN_FACTOR = 3;
const MAX_SIGNALS_PER_RUN = 8_000;

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

/** What a run was handed by the one before it (continue-as-new). */
export interface CarriedRequests {
  readonly requests: readonly ScanRequest[];
  /** Requests folded into `requests`: served by the same scan, counted as coalesced by it. */
  readonly folded?: number;
  /** When the first of them arrived (epoch ms). */
  readonly firstRequestAt?: number;
  /** When the last of them arrived (epoch ms). */
  readonly lastRequestAt?: number;
  readonly served?: readonly ServedRequest[];
  /** How many times the carried re-match requests were deferred (no re-match worker in time). */
  readonly rematchDeferrals?: number;
}

/** What a run hands to the next: only what that run needs, so its input stays small. */
export interface Handover {
  readonly carriedRequests: readonly ScanRequest[];
  readonly foldedRequests: number;
  readonly firstRequestAt?: number;
  readonly lastRequestAt?: number;
  readonly servedRequests: readonly ServedRequest[];
  readonly rematchDeferrals?: number;
}

/**
 * The requests worth carrying: the newest scan request and the newest re-match per snapshot, in
 * the order they arrived. The others are folded into them: the scan that serves the newest serves
 * them too (a batch scans its newest request, whatever ref the others name: see collectBatch), so
 * one scan request is carried however many refs a flood names. Newest is decided as collectBatch
 * decides: the highest sequence when every scan request has one, else the last to arrive; per
 * snapshot, the same among its re-matches.
 */
export function foldRequests(requests: readonly ScanRequest[]): {
  kept: ScanRequest[];
  folded: ScanRequest[];
} {
  const keyOf = (r: ScanRequest) => (r.trigger === 'advisory' ? `snapshot:${r.snapshotId ?? ''}` : 'scan');
  const groups = new Map<string, number[]>();
  requests.forEach((r, i) => {
    const group = groups.get(keyOf(r));
    if (group) group.push(i);
    else groups.set(keyOf(r), [i]);
  });
  const keep = new Set<number>();
  for (const indexes of groups.values()) {
    const stamped = indexes.every((i) => requests[i]!.sequence !== undefined);
    keep.add(
      indexes.reduce((best, i) =>
        !stamped || requests[i]!.sequence! > requests[best]!.sequence! ? i : best,
      ),
    );
  }
  return {
    kept: requests.filter((_, i) => keep.has(i)),
    folded: requests.filter((_, i) => !keep.has(i)),
  };
}

/**
 * The scan requests one run holds: every `scanRequested` signal lands here, `scanForRequest`
 * answers from here, and the debounce waits on it. Constructing it registers both handlers.
 */
export class ScanRequestInbox {
  private readonly pending: ScanRequest[];
  // Request and delivery ids of the pending requests (kept after a hand-over: this run still
  // answers for them) and of the batch this run scans.
  private readonly pendingIds = new Set<string>();
  private readonly batchRequestIds = new Set<string>();
  private readonly batchDeliveryIds = new Set<string>();
  private batch: readonly ScanRequest[] = [];
  private receivedCount: number;
  private signals = 0;
  // Requests the carried ones stand for, until this run's batch takes them.
  private folded: number;
  private foldedInBatch = 0;
  private firstPendingAt: number | null;
  private lastPendingAt: number | null;
  // Which scan the pending requests get: this run's, then (once the batch is taken, or they are
  // handed over) the one the next run takes.
  private pendingScanId: string;
  private handedOver = false;
  // Requests earlier runs served (carried) and late copies this run acknowledged, oldest first.
  private readonly served: ServedRequest[];
  // Every request this run acknowledged, and the scan that serves it: the carried list above keeps
  // only the newest, but a requester asks the run its request reached (bounded by the signal limit).
  private readonly answered = new Map<string, string>();
  // Requests of this run's batch that its scan let go (a re-match that yielded or was deferred),
  // and the next run's scan that takes them.
  private readonly released = new Map<string, string>();
  private scanned: Coverage | null = null;
  /** How many times the re-match requests this run was handed were deferred. */
  readonly rematchDeferrals: number;
  private rematchAskedHere = false;

  constructor(
    carried: CarriedRequests,
    private readonly scanIds: { readonly thisRun: string; readonly nextRun: string },
    private readonly signalLimit: number,
  ) {
    this.pending = [];
    this.served = [...(carried.served ?? [])];
    for (const r of carried.requests) this.hold(r);
    this.folded = carried.folded ?? 0;
    this.receivedCount = this.pending.length + this.folded;
    this.firstPendingAt = carried.firstRequestAt ?? null;
    this.lastPendingAt = carried.lastRequestAt ?? null;
    this.pendingScanId = scanIds.thisRun;
    this.rematchDeferrals = carried.rematchDeferrals ?? 0;
    setHandler(scanRequestedSignal, (request) => {
      // Every signal is a history event, copies included: they count toward the run's bound.
      this.signals++;
      // The outbox relays at least once and GitHub redelivers: a request this run holds or an
      // earlier run served (same request id, or same webhook delivery) is dropped. Only new
      // requests count as arrivals.
      if (this.holds(request)) return;
      // A late copy of a request older than one already scanned for the same ref: that scan saw
      // a newer commit, so scanning this one would step back. Acknowledged, not scanned.
      const coverage = this.coverageOf(request);
      if (coverage) {
        if (request.requestId) this.remember({ requestId: request.requestId, ...coverage });
        return;
      }
      if (this.pending.length === 0) this.firstPendingAt = Date.now();
      this.lastPendingAt = Date.now();
      this.hold(request);
      this.receivedCount++;
      if (isRematchRequest(request)) this.rematchAskedHere = true;
    });
    setHandler(scanForRequestQuery, (requestId) => {
      const { thisRun } = this.scanIds;
      const released = this.released.get(requestId);
      if (released) return { scanId: released, servedByThisRun: false };
      if (this.batchRequestIds.has(requestId)) return { scanId: thisRun, servedByThisRun: true };
      if (this.pendingIds.has(`r:${requestId}`)) {
        const here = this.pendingScanId === thisRun && !this.handedOver;
        return { scanId: this.pendingScanId, servedByThisRun: here };
      }
      // The newest entry: an id served again later (a released re-match) names its last scan.
      const scanId =
        this.answered.get(requestId) ?? this.served.findLast((r) => r.requestId === requestId)?.scanId;
      return scanId ? { scanId, servedByThisRun: scanId === thisRun } : null;
    });
  }

  private hold(request: ScanRequest): void {
    this.pending.push(request);
    if (request.requestId) this.pendingIds.add(`r:${request.requestId}`);
    if (request.deliveryId) this.pendingIds.add(`d:${request.deliveryId}`);
  }

  private holds({ requestId, deliveryId }: ScanRequest): boolean {
    if (requestId && (this.batchRequestIds.has(requestId) || this.pendingIds.has(`r:${requestId}`)))
      return true;
    if (deliveryId && (this.batchDeliveryIds.has(deliveryId) || this.pendingIds.has(`d:${deliveryId}`)))
      return true;
    return this.served.some(
      (r) => (requestId && r.requestId === requestId) || (deliveryId && r.deliveryId === deliveryId),
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
    this.answered.set(served.requestId, served.scanId);
    this.served.push(served);
    if (this.served.length > SERVED_REQUESTS_KEPT)
      this.served.splice(0, this.served.length - SERVED_REQUESTS_KEPT);
  }

  /** A re-match request (not a copy) reached this run itself: one no run has deferred yet. */
  get rematchAskedByThisRun(): boolean {
    return this.rematchAskedHere;
  }

  /** Requests this run holds or held, those folded into carried ones included. */
  get received(): number {
    return this.receivedCount;
  }

  /** Requests waiting for a scan (folded ones included). */
  get pendingCount(): number {
    return this.pending.length + this.folded;
  }

  /** How many requests the batch's scan serves, folded ones included. */
  get batchCoalesced(): number {
    return this.batch.length + this.foldedInBatch;
  }

  /** This run has taken so many signals that its history must stop growing. */
  private signalsAtLimit(): boolean {
    return this.signals >= this.signalLimit;
  }

  /**
   * Mid-scan, the bound past which the run must hand on even its scan: the server refuses every
   * signal past its cap (10,000 per run by default) until the run ends, so a scan that lasts while a
   * flood goes on would leave requesters refused (see SIGNALS_DURING_SCAN_FACTOR).
   */
  signalsAtHardLimit(): boolean {
    return this.signals >= Math.min(this.signalLimit * SIGNALS_DURING_SCAN_FACTOR, MAX_SIGNALS_PER_RUN);
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
   * A deferred re-match's backoff: waits up to `ms` unless a request that must not wait comes (it
   * is scanned at once and serves the re-match) or the run reaches its signal bound.
   */
  async holdRematch(ms: number): Promise<void> {
    await condition(() => this.pending.some(mustNotWait) || this.signalsAtLimit(), ms);
  }

  /**
   * Waits for a first request, then until none has come for the quiet window, at most the maximum
   * wait after the first request (both carried across runs); re-match requests alone do not wait. A flood of requests must not grow one
   * history without bound: when Temporal suggests it, or this run has taken its share of signals,
   * `rollOver` hands them to a fresh run (continue-as-new, which never returns).
   */
  async debounce(window: DebounceWindow, rollOver: () => Promise<never>): Promise<void> {
    await condition(() => this.pending.length > 0 || this.signalsAtLimit());
    if (this.pending.length === 0) {
      // Only copies and covered requests came, each one an event: a fresh run carries what was served.
      if (patched(BOUNDED_RUN_PATCH)) await rollOver();
      await condition(() => this.pending.length > 0);
    }
    this.firstPendingAt ??= Date.now();
    const firstRequestAt = this.firstPendingAt;
    const fromLastRequest = patched(CARRIED_QUIET_WINDOW_PATCH);
    for (;;) {
      // The window gathers a burst of pushes into one scan. Re-matches alone gain nothing by it: a
      // sync's come one per repository, and one that waited would hold the sync's pacing back (it
      // asks for the next re-match as one is served). A push that comes later makes the re-match
      // yield, and is scanned after the window as always.
      if (this.pending.every(isRematchRequest) && patched(REMATCH_WITHOUT_QUIET_WINDOW_PATCH)) return;
      const seen = this.receivedCount;
      const left = window.maxWaitMs - (Date.now() - firstRequestAt);
      if (left <= 0) return;
      // Within a run the last request arrived now (this is the task that saw it); a carried one may
      // have waited through the scan before, and that wait counts.
      const quietLeft =
        fromLastRequest && this.lastPendingAt !== null
          ? window.quietWindowMs - (Date.now() - this.lastPendingAt)
          : window.quietWindowMs;
      if (quietLeft <= 0) return;
      const more = await condition(() => this.receivedCount !== seen, Math.min(quietLeft, left));
      if (!more) return;
      if (workflowInfo().continueAsNewSuggested || (this.signalsAtLimit() && patched(BOUNDED_RUN_PATCH)))
        await rollOver();
    }
  }

  /** Takes every pending request as this run's batch; later ones wait for the follow-up run. */
  takeBatch(): ScanRequest[] {
    const batch = this.pending.splice(0, this.pending.length);
    this.pendingIds.clear();
    this.foldedInBatch = this.folded;
    this.folded = 0;
    this.batch = batch;
    this.firstPendingAt = null;
    this.lastPendingAt = null;
    this.pendingScanId = this.scanIds.nextRun;
    for (const r of batch) {
      if (r.requestId) this.batchRequestIds.add(r.requestId);
      if (r.deliveryId) this.batchDeliveryIds.add(r.deliveryId);
    }
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
    for (const { requestId, deliveryId } of this.batch) {
      if (!requestId) continue;
      this.remember({
        requestId,
        scanId: thisRun,
        ...(deliveryId ? { deliveryId } : {}),
        ...(this.scanned ? { ref: this.scanned.ref, sequence: this.scanned.sequence } : {}),
      });
    }
  }

  /**
   * The pending requests, for the next run, whose scan takes `scanId`: from now on they are its
   * own. Only the newest scan request and the newest re-match per snapshot travel; the ids of the others stay answerable
   * here (this run is the one the requester asks) and, bounded, in the served list. The deferral
   * count travels only with a re-match request.
   */
  handOver(scanId: string, released: readonly ScanRequest[] = [], rematchDeferrals = 0): Handover {
    // Released requests (a re-match that let go) go first: they came before the ones pending.
    const { kept, folded } = foldRequests([...released, ...this.pending]);
    // This run's scan closed without serving them (SUPERSEDED or deferred): they are the next
    // scan's, here and in the served list the next run is told.
    const releasedIds = new Set(released.flatMap((r) => (r.requestId ? [r.requestId] : [])));
    if (releasedIds.size > 0) {
      for (let i = this.served.length - 1; i >= 0; i--) {
        if (releasedIds.has(this.served[i]!.requestId)) this.served.splice(i, 1);
      }
      for (const id of releasedIds) this.released.set(id, scanId);
    }
    this.pendingScanId = scanId;
    this.handedOver = true;
    for (const r of folded) {
      if (r.requestId) {
        this.remember({
          requestId: r.requestId,
          scanId,
          ...(r.deliveryId ? { deliveryId: r.deliveryId } : {}),
        });
      }
    }
    return {
      carriedRequests: kept,
      foldedRequests: this.folded + folded.length,
      ...(this.firstPendingAt !== null ? { firstRequestAt: this.firstPendingAt } : {}),
      ...(this.lastPendingAt !== null ? { lastRequestAt: this.lastPendingAt } : {}),
      servedRequests: this.servedOnward(),
      ...(rematchDeferrals > 0 && kept.some(isRematchRequest) ? { rematchDeferrals } : {}),
    };
  }

  /** What this run and the ones before it served, for the follow-up run (the newest, bounded). */
  private servedOnward(): readonly ServedRequest[] {
    return this.served.slice(-SERVED_REQUESTS_KEPT);
  }
}
