import type { PullRequestCheckRequest } from '@repoguard/contract';
import { CheckRequestInbox } from './check-request-inbox';

const iso = (s: number) => new Date(Date.UTC(2026, 11, 5, 0, 0, s)).toISOString();
const request = (checkId: string, headAt: number, requestedAt = headAt): PullRequestCheckRequest => ({
  checkId,
  headSha: checkId.padEnd(40, '0'),
  baseRef: 'main',
  baseSha: null,
  requestedBy: 'webhook:test',
  headAt: iso(headAt),
  requestedAt: iso(requestedAt),
});

describe('CheckRequestInbox', () => {
  it('keeps the newest head waiting and supersedes the older one, each once, whatever the order', () => {
    const inbox = new CheckRequestInbox();
    inbox.offer(request('b', 2));
    inbox.offer(request('a', 1));
    inbox.offer(request('c', 3));
    inbox.offer(request('a', 1));
    expect(inbox.waiting?.checkId).toBe('c');
    expect(inbox.takeStale(10).map((r) => r.checkId)).toEqual(['a', 'b']);
    inbox.offer(request('a', 1));
    expect(inbox.hasStale).toBe(false);
  });

  it('orders by head, not request time: an older head asked again never replaces the newest', () => {
    const inbox = new CheckRequestInbox();
    inbox.offer(request('old', 1));
    inbox.offer(request('new', 2));
    expect(inbox.take()?.checkId).toBe('new');
    expect(inbox.offer(request('old', 1, 9))).toBe(false);
    expect(inbox.waiting).toBeUndefined();
    expect(inbox.takeStale(10).map((r) => [r.checkId, r.requestedAt])).toEqual([
      ['old', iso(1)],
      ['old', iso(9)],
    ]);
  });

  it('takes the newest head asked again (a rerequest) and drops copies of what it has seen', () => {
    const inbox = new CheckRequestInbox(undefined, request('head', 5));
    expect(inbox.offer(request('head', 5))).toBe(false);
    expect(inbox.offer(request('head', 5, 6))).toBe(true);
    expect(inbox.take()?.requestedAt).toBe(iso(6));
    expect(inbox.offer(request('head', 5, 6))).toBe(false);
    expect(inbox.hasStale).toBe(false);
  });
});
