import type { ScanRequest } from '@repoguard/contract';

/** What one scan does for the requests it coalesces. */
export interface ScanBatch {
  /** Every request the scan serves, oldest first. */
  readonly requests: readonly ScanRequest[];
  /** The request whose commit, trigger, caller and correlation id the scan takes. */
  readonly request: ScanRequest;
  /** Set when the batch only re-matches a stored snapshot: no fetch, no parse. */
  readonly rematch: { readonly snapshotId: string; readonly taskQueue?: string } | null;
  /**
   * Set when a request of the batch comes from an advisory import: matching must see that import,
   * not a worker's copy of the advisories checked a few seconds before it.
   */
  readonly freshAdvisories: boolean;
}

/**
 * The newest request: the highest outbox sequence when every request carries one (relays may
 * deliver out of the order requests were made in, so a late copy of an older push must not win),
 * else the last to arrive (requests sent before sequences existed).
 */
function newest(requests: readonly ScanRequest[]): ScanRequest | undefined {
  const stamped = requests.every((r) => r.sequence !== undefined);
  if (!stamped) return requests[requests.length - 1];
  return requests.reduce<ScanRequest | undefined>(
    (best, r) => (best === undefined || r.sequence! > best.sequence! ? r : best),
    undefined,
  );
}

/**
 * Decides what one scan does for the requests that arrived before it started. The newest wins; the
 * others are coalesced into it. A re-match (advisories changed) is served by any real scan in the
 * batch, which matches against the same advisories anyway, so only a batch of re-matches alone
 * skips fetch and parse.
 */
export function collectBatch(requests: readonly ScanRequest[]): ScanBatch {
  const scans = requests.filter((r) => r.trigger !== 'advisory');
  const served = scans.length > 0 ? scans : requests;
  const request = newest(served);
  // The workflow takes a batch only once a request came: an empty one is a bug, not an input.
  if (!request) throw new Error('collectBatch: an empty batch has no request to serve');
  const rematch =
    request.trigger === 'advisory' && request.snapshotId
      ? { snapshotId: request.snapshotId, ...(request.taskQueue ? { taskQueue: request.taskQueue } : {}) }
      : null;
  const freshAdvisories = requests.some((r) => r.trigger === 'advisory');
  return { requests: [...requests], request, rematch, freshAdvisories };
}
