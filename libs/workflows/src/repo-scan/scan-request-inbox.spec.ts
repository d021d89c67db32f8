import type { ScanRequest } from '@repoguard/contract';
import { collectBatch } from './collect-batch';
import { foldRequests } from './scan-request-inbox';

const push = (commitSha: string, extra: Partial<ScanRequest> = {}): ScanRequest => ({
  trigger: 'push',
  commitSha,
  ref: 'refs/heads/main',
  requestedBy: 'github:push',
  requestId: commitSha,
  ...extra,
});
const advisory = (snapshotId: string, requestId: string): ScanRequest => ({
  trigger: 'advisory',
  requestedBy: 'system:advisories',
  snapshotId,
  requestId,
});
const ids = (requests: readonly ScanRequest[]) => requests.map((r) => r.requestId);

describe('foldRequests', () => {
  it('keeps the last scan request and the last re-match per snapshot, in arrival order, when some carry no sequence', () => {
    const requests = [
      push('a'),
      advisory('s1', 'x1'),
      push('dev-1', { ref: 'refs/heads/dev' }),
      push('b'),
      advisory('s2', 'y1'),
      advisory('s1', 'x2'),
      push('c', { sequence: 1 }),
    ];
    const { kept, folded } = foldRequests(requests);
    expect(ids(kept)).toEqual(['y1', 'x2', 'c']);
    expect(ids(folded)).toEqual(['a', 'x1', 'dev-1', 'b']);
  });

  it('keeps the highest sequence when every scan request has one, whatever the arrival order', () => {
    const requests = [push('c3', { sequence: 3 }), push('c1', { sequence: 1 }), push('c2', { sequence: 2 })];
    expect(ids(foldRequests(requests).kept)).toEqual(['c3']);
  });

  // Review of issue 16 point 3: a flood of pushes to distinct branches (Renovate, a CI bot) or API
  // requests naming many refs. The next batch scans only the newest of them (collectBatch), so one
  // carried per ref buys nothing and grows the continue-as-new input past Temporal's 2 MB.
  it('carries one scan request however many refs the pending requests name', () => {
    const requests = Array.from({ length: 5_000 }, (_, i) =>
      push(`c${i}`, { ref: `refs/heads/renovate/dep-${i}`, sequence: i }),
    );
    const { kept, folded } = foldRequests([...requests, advisory('s1', 'x1')]);
    expect(ids(kept)).toEqual(['c4999', 'x1']);
    expect(folded).toHaveLength(4_999);
  });

  it('leaves the scan a batch decides on unchanged', () => {
    const batches: ScanRequest[][] = [
      [
        push('a', { sequence: 4 }),
        push('dev', { ref: 'refs/heads/dev', sequence: 9 }),
        push('b', { sequence: 5 }),
      ],
      [push('a'), push('dev', { ref: 'refs/heads/dev' }), push('b'), advisory('s1', 'x1')],
      [advisory('s1', 'x1'), advisory('s2', 'y1'), advisory('s1', 'x2')],
    ];
    for (const batch of batches) {
      const all = collectBatch(batch);
      const carried = collectBatch(foldRequests(batch).kept);
      expect([carried.request, carried.rematch, carried.freshAdvisories]).toEqual([
        all.request,
        all.rematch,
        all.freshAdvisories,
      ]);
    }
  });
});
