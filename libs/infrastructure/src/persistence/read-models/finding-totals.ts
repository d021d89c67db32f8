import { performance } from 'node:perf_hooks';

export interface FindingTotalsOptions {
  /** Totals below this are counted on every request: cheap, and what a small list's reader checks. */
  readonly minTotal: number;
  /** How long a held total answers (monotonic clock). */
  readonly ttlMs: number;
  /** The most totals held; past it the oldest go first. */
  readonly maxEntries: number;
}

const DEFAULTS: FindingTotalsOptions = { minTotal: 1_000, ttlMs: 2_000, maxEntries: 10_000 };

/**
 * Totals of long finding lists, held for a moment per process. Counting 15,000 open findings reads
 * every one of their index entries (about 1.5 ms of PostgreSQL, more than the page itself), and a
 * client paging through such a list asks for the same total again and again. Small lists are
 * counted every time, so a total stays exact where one finding more or less is visible; a long
 * list's may be up to `ttlMs` old (a triage or scan meanwhile shows in its items at once).
 */
export class FindingTotals {
  private readonly held = new Map<string, { readonly total: number; readonly until: number }>();
  private readonly options: FindingTotalsOptions;

  constructor(options: Partial<FindingTotalsOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  get(key: string, now = performance.now()): number | undefined {
    const entry = this.held.get(key);
    if (!entry) return undefined;
    if (entry.until > now) return entry.total;
    this.held.delete(key);
    return undefined;
  }

  remember(key: string, total: number, now = performance.now()): void {
    if (total < this.options.minTotal) return;
    this.held.delete(key);
    if (this.held.size >= this.options.maxEntries) {
      // A Map iterates in insertion order, so the first key is the oldest.
      const oldest = this.held.keys().next();
      if (!oldest.done) this.held.delete(oldest.value);
    }
    this.held.set(key, { total, until: now + this.options.ttlMs });
  }
}
