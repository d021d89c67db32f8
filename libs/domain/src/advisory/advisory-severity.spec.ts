import type { OsvRecord } from './osv-record';
import { assessSeverity } from './advisory-severity';
import { compareSeverity, severityFromScore, SEVERITIES } from '../severity/severity.value-object';

const record = (extra: Partial<OsvRecord>): OsvRecord => ({
  id: 'X',
  modified: '2024-01-01T00:00:00Z',
  ...extra,
});

describe('severity', () => {
  it.each([
    [10, 'CRITICAL'],
    [9.0, 'CRITICAL'],
    [8.9, 'HIGH'],
    [7.0, 'HIGH'],
    [6.9, 'MEDIUM'],
    [4.0, 'MEDIUM'],
    [3.9, 'LOW'],
    [0.1, 'LOW'],
    [0, 'UNKNOWN'],
  ])('score %p → %s', (score, severity) => {
    expect(severityFromScore(score)).toBe(severity);
  });

  it('orders CRITICAL > HIGH > MEDIUM > LOW > UNKNOWN', () => {
    const shuffled = ['LOW', 'UNKNOWN', 'CRITICAL', 'MEDIUM', 'HIGH'] as const;
    expect([...shuffled].sort((a, b) => compareSeverity(b, a))).toEqual([...SEVERITIES]);
  });

  it('scores a CVSS v3.1 vector (GHSA-248v-346w-9cwc, certifi: 7.5 HIGH)', () => {
    const vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N';
    expect(assessSeverity(record({ severity: [{ type: 'CVSS_V3', score: vector }] }))).toEqual({
      severity: 'HIGH',
      score: 7.5,
      vector,
      source: 'cvss_v3',
    });
  });

  it('scores CVSS v3.0 the same way (9.8 CRITICAL)', () => {
    const vector = 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    expect(assessSeverity(record({ severity: [{ type: 'CVSS_V3', score: vector }] })).score).toBe(9.8);
  });

  it('prefers a CVSS v4 vector when both are present', () => {
    const v4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    const v3 = 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N';
    expect(
      assessSeverity(
        record({
          severity: [
            { type: 'CVSS_V3', score: v3 },
            { type: 'CVSS_V4', score: v4 },
          ],
        }),
      ),
    ).toEqual({ severity: 'CRITICAL', score: 9.3, vector: v4, source: 'cvss_v4' });
  });

  it('reads a vector given per affected package', () => {
    const vector = 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N';
    const assessed = assessSeverity(
      record({ affected: [{ severity: [{ type: 'CVSS_V3', score: vector }] }] }),
    );
    expect(assessed.source).toBe('cvss_v3');
    expect(assessed.severity).toBe('MEDIUM');
  });

  it("falls back to GHSA's label, MODERATE meaning MEDIUM", () => {
    expect(assessSeverity(record({ database_specific: { severity: 'MODERATE' } }))).toEqual({
      severity: 'MEDIUM',
      score: null,
      vector: null,
      source: 'database',
    });
  });

  it('skips a malformed vector and uses the label', () => {
    const assessed = assessSeverity(
      record({
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/garbage' }],
        database_specific: { severity: 'LOW' },
      }),
    );
    expect(assessed).toEqual({ severity: 'LOW', score: null, vector: null, source: 'database' });
  });

  it('is UNKNOWN with nothing to go on', () => {
    expect(assessSeverity(record({}))).toEqual({
      severity: 'UNKNOWN',
      score: null,
      vector: null,
      source: 'none',
    });
  });

  it('fails, rather than rating a vector as unscored, when the calculator cannot be loaded', () => {
    jest.isolateModules(() => {
      jest.doMock('ae-cvss-calculator', () => {
        throw new Error('Cannot find module ./lib-ae-cvss-calculator.js');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy under the mock
      const fresh = require('./advisory-severity') as typeof import('./advisory-severity');
      const scored = record({
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      });
      expect(() => fresh.assessSeverity(scored)).toThrow(/lib-ae-cvss-calculator/);
    });
    jest.dontMock('ae-cvss-calculator');
  });
});
