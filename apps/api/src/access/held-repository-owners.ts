import { performance } from 'node:perf_hooks';

export interface HeldRepositoryOwnersOptions {
  /** How long a held org answers (monotonic clock). */
  readonly ttlMs: number;
  /** The most repositories held; past it the oldest go first. */
  readonly maxEntries: number;
}

const DEFAULTS: HeldRepositoryOwnersOptions = { ttlMs: 5_000, maxEntries: 10_000 };

/**
 * The org of each repository the findings list was read from, held a moment per process: under
 * load the access check's own statement cost about as much API time as the page's. A repository
 * never moves to another org, so a held org stays true; whether the repository is still there
 * (not purged) is checked by ListFindings whenever a page comes back empty, and a held org counts
 * only for a caller whose scope holds it.
 */
export class HeldRepositoryOwners {
  private readonly held = new Map<string, { readonly orgId: string; readonly until: number }>();
  private readonly options: HeldRepositoryOwnersOptions;

  constructor(options: Partial<HeldRepositoryOwnersOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The held org of `repoId` when it is one of `orgIds`; undefined otherwise. */
  get(repoId: string, orgIds: readonly string[], now = performance.now()): string | undefined {
    const entry = this.held.get(repoId);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.held.delete(repoId);
      return undefined;
    }
    return orgIds.includes(entry.orgId) ? entry.orgId : undefined;
  }

  remember(repoId: string, orgId: string, now = performance.now()): void {
    this.held.delete(repoId);
    if (this.held.size >= this.options.maxEntries) {
      // A Map iterates in insertion order, so the first key is the oldest.
      const oldest = this.held.keys().next();
      if (!oldest.done) this.held.delete(oldest.value);
    }
    this.held.set(repoId, { orgId, until: now + this.options.ttlMs });
  }
}
