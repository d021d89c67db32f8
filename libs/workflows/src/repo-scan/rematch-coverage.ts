import type { ScanRequest } from '@repoguard/contract';

/** A request to match a stored snapshot again because advisories changed (no fetch, no parse). */
export const isRematchRequest = (r: ScanRequest): boolean => r.trigger === 'advisory' && !!r.snapshotId;

/** A request that must not wait behind a re-match: anything but a re-match. */
export const mustNotWait = (r: ScanRequest): boolean => !isRematchRequest(r);

/**
 * The re-match requests a real scan serves although they came after it took its batch: those
 * already waiting when it began matching (it then matches against the advisories as stored now,
 * the imports that asked for them included). Once that scan completed, they need no run of their
 * own: a re-match of an older snapshot after it would only write over its findings.
 */
export class RematchCoverage {
  private readonly covered = new Set<ScanRequest>();

  /** Called as the real scan begins matching, with the re-match requests waiting; true if any. */
  matching(waiting: readonly ScanRequest[]): boolean {
    for (const r of waiting) this.covered.add(r);
    return this.covered.size > 0;
  }

  get any(): boolean {
    return this.covered.size > 0;
  }

  covers(request: ScanRequest): boolean {
    return this.covered.has(request);
  }
}
