import type { ScanRequest } from '@repoguard/contract';
import { collectBatch } from './collect-batch';

const push = (commitSha: string, extra: Partial<ScanRequest> = {}): ScanRequest => ({
  trigger: 'push',
  commitSha,
  requestedBy: 'github:push',
  ...extra,
});
const advisory = (snapshotId: string | undefined, extra: Partial<ScanRequest> = {}): ScanRequest => ({
  trigger: 'advisory',
  requestedBy: 'system:advisories',
  ...(snapshotId ? { snapshotId } : {}),
  taskQueue: 'repoguard-rematch',
  ...extra,
});

describe('collectBatch', () => {
  it('serves the newest request and coalesces the others into it', () => {
    const requests = [push('a'), { trigger: 'api', requestedBy: 'user:alice' } as const, push('c')];

    const batch = collectBatch(requests);

    expect(batch.request).toBe(requests[2]);
    expect(batch.requests).toEqual(requests);
    expect(batch.rematch).toBeNull();
    expect(batch.freshAdvisories).toBe(false);
  });

  it('re-matches the stored snapshot, on its own queue, when the batch holds re-matches only', () => {
    const batch = collectBatch([advisory('snap-1'), advisory('snap-2')]);

    expect(batch.request.snapshotId).toBe('snap-2');
    expect(batch.rematch).toEqual({ snapshotId: 'snap-2', taskQueue: 'repoguard-rematch' });
    expect(batch.freshAdvisories).toBe(true);
  });

  it('lets any real scan in the batch serve the re-matches, even an older one', () => {
    const requests = [push('a'), advisory('snap-1'), push('b'), advisory('snap-2')];

    const batch = collectBatch(requests);

    expect(batch.request).toBe(requests[2]);
    expect(batch.rematch).toBeNull();
    expect(batch.requests).toHaveLength(4);
    // The scan serving them must still see the imports that asked for them.
    expect(batch.freshAdvisories).toBe(true);
  });

  it('scans in full an advisory request that names no snapshot, on the default queue', () => {
    const batch = collectBatch([advisory(undefined)]);

    expect(batch.request.trigger).toBe('advisory');
    expect(batch.rematch).toBeNull();
  });

  it('re-matches without a queue of its own when the request names none', () => {
    const { taskQueue: _unused, ...withoutQueue } = advisory('snap-1');

    expect(collectBatch([withoutQueue]).rematch).toEqual({ snapshotId: 'snap-1' });
  });

  it('refuses an empty batch', () => {
    expect(() => collectBatch([])).toThrow(/empty batch/);
  });

  it('serves the highest outbox sequence, not the last to arrive, when every request has one', () => {
    // A relay's late copy of an older push arrives after the newer one.
    const requests = [push('new', { sequence: 7 }), push('old', { sequence: 3 })];

    expect(collectBatch(requests).request.commitSha).toBe('new');
    expect(collectBatch(requests).requests).toEqual(requests);
  });

  it('keeps the last arrival when some request has no sequence (sent before sequences existed)', () => {
    const requests = [push('stamped', { sequence: 9 }), push('unstamped')];

    expect(collectBatch(requests).request.commitSha).toBe('unstamped');
  });

  it('still lets a real scan serve re-matches of a higher sequence', () => {
    const requests = [push('a', { sequence: 1 }), advisory('snap-1', { sequence: 5 })];

    const batch = collectBatch(requests);

    expect(batch.request.commitSha).toBe('a');
    expect(batch.rematch).toBeNull();
  });
});
