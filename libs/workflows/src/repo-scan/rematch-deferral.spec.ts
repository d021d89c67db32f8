import type { RepoScanInput } from '@repoguard/contract';
import { nextDeferral, rematchBackoffMs, rematchDeferralLimits } from './rematch-deferral';

const input = (extra: Partial<RepoScanInput> = {}): RepoScanInput => ({
  orgId: 'org-1',
  repoId: 'repo-1',
  owner: 'acme',
  name: 'payments',
  ...extra,
});

describe('re-match deferral', () => {
  it('doubles the wait from the quiet window after each deferral, up to the cap', () => {
    const limits = rematchDeferralLimits(input({ maxRematchBackoffMs: 5_000 }), 1_000);
    expect([0, 1, 2, 3, 4].map((n) => rematchBackoffMs(n, limits))).toEqual([0, 2_000, 4_000, 5_000, 5_000]);
    expect(rematchBackoffMs(10_000, limits)).toBe(5_000);
  });

  it('abandons at the deferral that reaches the bound, 5 by default', () => {
    const limits = rematchDeferralLimits(input(), 10_000);
    expect([0, 1, 2, 3, 4].map((n) => nextDeferral(n, limits))).toEqual([
      { count: 1, abandons: false },
      { count: 2, abandons: false },
      { count: 3, abandons: false },
      { count: 4, abandons: false },
      { count: 5, abandons: true },
    ]);
    expect(nextDeferral(0, rematchDeferralLimits(input({ maxRematchDeferrals: 1 }), 10)).abandons).toBe(true);
  });

  it('takes the defaults for bounds that are no bounds', () => {
    const limits = rematchDeferralLimits(input({ maxRematchDeferrals: 0, maxRematchBackoffMs: -1 }), 0);
    expect(limits).toEqual({ maxDeferrals: 5, baseMs: 1, maxBackoffMs: 30 * 60_000 });
    expect(rematchDeferralLimits(input({ maxRematchDeferrals: 2.5 }), 10).maxDeferrals).toBe(5);
  });
});
