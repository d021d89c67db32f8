import { compareText } from './compare-text';

describe('compareText', () => {
  it('orders by code unit, whatever the locale: upper case before lower, punctuation before digits', () => {
    expect(['b', 'B', 'a', 'A', '10', '-1', '2'].sort(compareText)).toEqual([
      '-1',
      '10',
      '2',
      'A',
      'B',
      'a',
      'b',
    ]);
  });

  it('answers 0 only for equal strings, and is antisymmetric', () => {
    expect(compareText('GHSA-abcd', 'GHSA-abcd')).toBe(0);
    expect(compareText('CVE-2020-1', 'GHSA-1')).toBeLessThan(0);
    expect(compareText('GHSA-1', 'CVE-2020-1')).toBeGreaterThan(0);
  });
});
