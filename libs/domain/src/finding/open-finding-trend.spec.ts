import { carryForward, dayBefore, lastDays, utcDay, type OpenFindingChange } from './open-finding-trend';

const counts = (critical: number, high = 0) => ({
  CRITICAL: critical,
  HIGH: high,
  MEDIUM: 0,
  LOW: 0,
  UNKNOWN: 0,
});
const change = (day: string, critical: number, high = 0): OpenFindingChange => ({
  day,
  counts: counts(critical, high),
});

describe('the open findings trend', () => {
  it('names UTC days and windows of them', () => {
    expect(utcDay(new Date('2026-12-06T23:59:59.999Z'))).toBe('2026-12-06');
    expect(dayBefore('2026-03-01')).toBe('2026-02-28');
    expect(dayBefore('2026-12-31', -1)).toBe('2027-01-01');
    expect(lastDays(new Date('2026-12-06T10:00:00Z'), 90)).toEqual({ from: '2026-09-08', to: '2026-12-06' });
  });

  it('gives one point a day, carrying the last known value over days without a change', () => {
    const points = carryForward(
      [change('2026-11-30', 2), change('2026-12-02', 1, 3), change('2026-12-05', -3)],
      '2026-12-01',
      '2026-12-06',
    );
    expect(points.map((p) => [p.day, p.counts.CRITICAL, p.counts.HIGH])).toEqual([
      ['2026-12-01', 2, 0],
      ['2026-12-02', 3, 3],
      ['2026-12-03', 3, 3],
      ['2026-12-04', 3, 3],
      ['2026-12-05', 0, 3],
      ['2026-12-06', 0, 3],
    ]);
  });

  it('is all zeros without history, and leaves out changes after the window', () => {
    const points = carryForward([change('2026-12-07', 4)], '2026-12-05', '2026-12-06');
    expect(points).toEqual([
      { day: '2026-12-05', counts: counts(0) },
      { day: '2026-12-06', counts: counts(0) },
    ]);
  });
});
