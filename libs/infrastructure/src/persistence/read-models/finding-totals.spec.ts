import { FindingTotals } from './finding-totals';

describe('FindingTotals', () => {
  it('holds a long list’s total until its time is up, and never a short list’s', () => {
    const totals = new FindingTotals({ minTotal: 1_000, ttlMs: 2_000 });
    totals.remember('long', 15_000, 0);
    totals.remember('short', 999, 0);
    expect(totals.get('long', 1_999)).toBe(15_000);
    expect(totals.get('long', 2_000)).toBeUndefined();
    expect(totals.get('short', 1)).toBeUndefined();
  });

  it('lets the oldest total go first once full', () => {
    const totals = new FindingTotals({ minTotal: 0, ttlMs: 1_000, maxEntries: 2 });
    totals.remember('a', 1, 0);
    totals.remember('b', 2, 0);
    totals.remember('c', 3, 0);
    expect([totals.get('a', 1), totals.get('b', 1), totals.get('c', 1)]).toEqual([undefined, 2, 3]);
  });
});
