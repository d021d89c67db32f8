import type { CheckRequestOrder, PullRequestCheckRequest } from '@repoguard/contract';

const at = (iso: string) => Date.parse(iso);

/**
 * Whether `a` names a newer head of the pull request than `b`: the later `headAt`, then the later
 * request, then the greater check id (as the check store's `newestHead` sorts them).
 */
export function isNewerHead(a: CheckRequestOrder, b: CheckRequestOrder): boolean {
  if (at(a.headAt) !== at(b.headAt)) return at(a.headAt) > at(b.headAt);
  if (at(a.requestedAt) !== at(b.requestedAt)) return at(a.requestedAt) > at(b.requestedAt);
  return a.checkId > b.checkId;
}

// Superseded requests a run remembers, so the relay's copies of them are not superseded again
// (superseding is idempotent: a copy beyond these costs one step, nothing else).
const SUPERSEDED_KEPT = 500;

const keyOf = (request: CheckRequestOrder) => `${request.checkId}@${at(request.requestedAt)}`;

const orderOf = ({ checkId, headAt, requestedAt }: CheckRequestOrder): CheckRequestOrder => ({
  checkId,
  headAt,
  requestedAt,
});

/**
 * The requests one pull request's workflow was sent, whatever order they arrive in. It keeps the
 * newest head's latest request to check (`waiting`) and remembers the newest request seen
 * (`latest`); every other request is `stale`: a head a newer one replaced, or an older head asked
 * for again. A stale request's row ends superseded, so no row stays queued for ever. A copy of a
 * request already seen (the relay sends at least once) is dropped: its row ends with that request.
 */
export class CheckRequestInbox {
  private next: PullRequestCheckRequest | undefined;
  private newest: CheckRequestOrder | undefined;
  private passedOver: PullRequestCheckRequest[] = [];
  private readonly superseded = new Set<string>();

  constructor(carried?: PullRequestCheckRequest, latest?: CheckRequestOrder) {
    this.next = carried;
    this.newest = latest ?? (carried && orderOf(carried));
  }

  get waiting(): PullRequestCheckRequest | undefined {
    return this.next;
  }

  get latest(): CheckRequestOrder | undefined {
    return this.newest;
  }

  get hasStale(): boolean {
    return this.passedOver.length > 0;
  }

  /** Takes a request in; true when it replaces what is being checked (cancel that check). */
  offer(request: PullRequestCheckRequest): boolean {
    const latest = this.newest;
    if (latest && request.checkId === latest.checkId) {
      // The same head: a copy, or asked again (a rerequest), which is checked again from the start.
      if (at(request.requestedAt) <= at(latest.requestedAt)) return false;
    } else if (latest && !isNewerHead(request, latest)) {
      if (!this.superseded.has(keyOf(request))) this.passedOver.push(request);
      return false;
    } else if (this.next) {
      this.passedOver.push(this.next);
    }
    this.next = request;
    this.newest = orderOf(request);
    return true;
  }

  /** The request to check now; it stays the latest, so its copies are dropped. */
  take(): PullRequestCheckRequest | undefined {
    const request = this.next;
    this.next = undefined;
    return request;
  }

  /** Up to `limit` stale requests to supersede, each once (copies of one request are one). */
  takeStale(limit: number): PullRequestCheckRequest[] {
    const taken = new Map<string, PullRequestCheckRequest>();
    while (this.passedOver.length > 0 && taken.size < limit) {
      const request = this.passedOver.shift()!;
      if (this.superseded.has(keyOf(request))) continue;
      taken.set(keyOf(request), request);
    }
    for (const key of taken.keys()) {
      this.superseded.add(key);
      if (this.superseded.size > SUPERSEDED_KEPT)
        this.superseded.delete(this.superseded.values().next().value!);
    }
    return [...taken.values()];
  }
}
