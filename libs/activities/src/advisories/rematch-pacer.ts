import type { ServedScanRequests } from '@repoguard/domain';

export interface RematchPacing {
  readonly served: ServedScanRequests;
  /** Re-match requests of a page left open (asked for, not yet served) at once; 0: no limit. */
  readonly limit: number;
  /** How often the open requests are looked up while waiting. Default 250 ms. */
  readonly pollMs?: number;
  /**
   * A request open this long is taken as served anyway: one the scan workflow folded into a scan
   * that began before it (a push's), or that waits in the outbox for Temporal, would otherwise
   * hold its place for ever. Default 60 s.
   */
  readonly openForAtMostMs?: number;
}

export interface PacerClock {
  now(): number;
  /** Rejects when the wait is cancelled (the activity's own sleep), or resolves after `ms`. */
  sleep(ms: number): Promise<void>;
}

const DEFAULT_POLL_MS = 250;
const DEFAULT_OPEN_FOR_AT_MOST_MS = 60_000;

/**
 * Keeps at most `limit` of a page's re-match requests open: `next()` returns at once while fewer
 * are, and otherwise waits until a scan has served one. So a sync asks for re-matches as fast as
 * they are done, not all at once: a thousand requests at once are a thousand workflow tasks and
 * re-match steps queued in front of the pushes' on the same workers, server and database.
 *
 * The page must still be requested whatever happens: a lookup that fails ends the pacing for the
 * page (the rest go at once, as before), and so does the page's time running out (`deadline`, well
 * inside its start-to-close timeout).
 */
export class RematchPacer {
  private readonly pollMs: number;
  private readonly openForAtMostMs: number;
  private readonly open = new Map<string, number>();
  private off: boolean;

  constructor(
    private readonly pacing: RematchPacing | undefined,
    private readonly deadline: number,
    private readonly clock: PacerClock,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.pollMs = pacing?.pollMs ?? DEFAULT_POLL_MS;
    this.openForAtMostMs = pacing?.openForAtMostMs ?? DEFAULT_OPEN_FOR_AT_MOST_MS;
    this.off = !pacing || pacing.limit <= 0;
  }

  /** Resolves when the next request may go; `beat` runs at each wait so the activity stays alive. */
  async next(beat: () => void): Promise<void> {
    if (this.off || !this.pacing) return;
    for (let first = true; this.open.size >= this.pacing.limit; first = false) {
      if (this.clock.now() >= this.deadline) {
        this.off = true;
        return;
      }
      if (!first) {
        beat();
        await this.clock.sleep(Math.max(0, Math.min(this.pollMs, this.deadline - this.clock.now())));
      }
      let served: ReadonlySet<string>;
      try {
        served = await this.pacing.served.served([...this.open.keys()]);
      } catch (error) {
        this.warn(
          `re-match requests no longer paced: open requests could not be looked up (${(error as Error).message})`,
        );
        this.off = true;
        return;
      }
      const now = this.clock.now();
      for (const [id, askedAt] of this.open) {
        if (served.has(id) || now - askedAt >= this.openForAtMostMs) this.open.delete(id);
      }
    }
  }

  /** The request `requestId` went (or was already held): it is open until served. */
  asked(requestId: string): void {
    if (!this.off) this.open.set(requestId, this.clock.now());
  }
}
