import {
  closedFindingStatus,
  effectiveFindingStatus,
  ignoreHolds,
  reappearedFindingStatus,
} from './finding-status';

const NOW = new Date('2026-12-08T12:00:00Z');
const BEFORE = new Date('2026-12-08T11:59:59Z');
const AFTER = new Date('2026-12-08T12:00:01Z');

describe('ignoreHolds', () => {
  it('holds without an expiry, and until its expiry exclusive', () => {
    expect(ignoreHolds(null, NOW)).toBe(true);
    expect(ignoreHolds(AFTER, NOW)).toBe(true);
    expect(ignoreHolds(NOW, NOW)).toBe(false);
    expect(ignoreHolds(BEFORE, NOW)).toBe(false);
  });
});

describe('effectiveFindingStatus', () => {
  it('shows an ignore past its expiry as open, whatever is stored', () => {
    expect(effectiveFindingStatus({ status: 'ignored', triageExpiresAt: BEFORE }, NOW)).toBe('open');
    expect(effectiveFindingStatus({ status: 'ignored', triageExpiresAt: NOW }, NOW)).toBe('open');
  });

  it('leaves an ignore in force, and every other status, as stored', () => {
    expect(effectiveFindingStatus({ status: 'ignored', triageExpiresAt: AFTER }, NOW)).toBe('ignored');
    expect(effectiveFindingStatus({ status: 'ignored', triageExpiresAt: null }, NOW)).toBe('ignored');
    for (const status of ['open', 'fixed', 'withdrawn'] as const)
      expect(effectiveFindingStatus({ status, triageExpiresAt: BEFORE }, NOW)).toBe(status);
  });
});

describe('reappearedFindingStatus', () => {
  it('gives a finding that comes back the ignore it had while that holds', () => {
    expect(reappearedFindingStatus({ triageStatus: 'ignored', triageExpiresAt: null }, NOW)).toBe('ignored');
    expect(reappearedFindingStatus({ triageStatus: 'ignored', triageExpiresAt: AFTER }, NOW)).toBe('ignored');
  });

  it('opens it when the ignore lapsed meanwhile, it was reopened, or nobody triaged it', () => {
    expect(reappearedFindingStatus({ triageStatus: 'ignored', triageExpiresAt: BEFORE }, NOW)).toBe('open');
    expect(reappearedFindingStatus({ triageStatus: 'open', triageExpiresAt: null }, NOW)).toBe('open');
    expect(reappearedFindingStatus({ triageStatus: null, triageExpiresAt: null }, NOW)).toBe('open');
  });

  it('opens a finding decided resolved: it was said to be fixed, and it is back', () => {
    expect(
      reappearedFindingStatus(
        { triageStatus: 'ignored', triageState: 'resolved', triageExpiresAt: null },
        NOW,
      ),
    ).toBe('open');
    expect(
      reappearedFindingStatus(
        { triageStatus: 'ignored', triageState: 'not_affected', triageExpiresAt: null },
        NOW,
      ),
    ).toBe('ignored');
  });
});

describe('closedFindingStatus', () => {
  it('closes a finding as withdrawn when its advisory was withdrawn, else as fixed', () => {
    const withdrawn = new Set(['GHSA-gone']);
    expect(closedFindingStatus('GHSA-gone', withdrawn)).toBe('withdrawn');
    expect(closedFindingStatus('GHSA-kept', withdrawn)).toBe('fixed');
  });
});
