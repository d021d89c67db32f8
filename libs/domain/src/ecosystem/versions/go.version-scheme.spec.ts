import { goVersionScheme as go } from './go.version-scheme';
import { InvalidVersionError } from './invalid-version.error';
import { expectOrderingTable, comparisons } from './ordering-table.test-helper';

// Releases, prereleases and the three pseudo-version forms (vX.0.0-yyyymmddhhmmss-abcdefabcdef,
// vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef, vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef).
const ORDERED = [
  'v0.0.0-20190101000000-aaaaaaaaaaaa',
  'v0.0.0-20210101000000-abcdef123456',
  'v0.0.0',
  'v0.0.1',
  'v0.1.0-alpha',
  'v0.1.0',
  'v1.0.0-alpha',
  'v1.0.0-alpha.1',
  'v1.0.0-alpha.beta',
  'v1.0.0-beta',
  'v1.0.0-beta.2',
  'v1.0.0-beta.11',
  'v1.0.0-rc.1',
  'v1.0.0',
  'v1.2.3',
  'v1.2.4-0.20210101000000-abcdef123456',
  'v1.2.4-0.20220101000000-abcdef123456',
  'v1.2.4-pre',
  'v1.2.4-pre.0.20210101000000-abcdef123456',
  'v1.2.4',
  'v1.2.5-0.20210101000000-abcdef123456',
  '1.3.0',
  'v1.10.0',
  'v2.0.0+incompatible',
  'v2.0.1+incompatible',
  'v10.0.0',
  'v99999999999999999999.0.0',
];

describe('goVersionScheme', () => {
  it('sorts shuffled copies of a Go module ordering table back into order', () => {
    expectOrderingTable(go, ORDERED);
  });

  it.each([
    ['v1.2.4', 'v1.2.4-0.20210101000000-abcdef123456'],
    ['v1.2.4-0.20210101000000-abcdef123456', 'v1.2.3'],
    ['v0.0.0', 'v0.0.0-20210101000000-abcdef123456'],
    ['v1.2.4-pre.0.20210101000000-abcdef123456', 'v1.2.4-pre'],
    ['v1.2.4-pre.1', 'v1.2.4-pre.0.20210101000000-abcdef123456'],
    ['v0.0.0-20210102000000-000000000000', 'v0.0.0-20210101000000-ffffffffffff'],
    ['v3.0.0+incompatible', 'v2.99.99'],
  ])('%s > %s', (high, low) => {
    expect(go.compare(high, low)).toBeGreaterThan(0);
    expect(go.compare(low, high)).toBeLessThan(0);
  });

  it.each([
    [['v1.2.3', '1.2.3', 'v1.2.3+meta']],
    [['v1', 'v1.0', 'v1.0.0', '1', '1.0']],
    [['v2.0.0+incompatible', 'v2.0.0']],
  ])('treats %j as equal', (versions) => {
    expect(comparisons(go, versions).filter(([, , sign]) => sign !== 0)).toEqual([]);
  });

  it.each([
    ['1.2.3', 'v1.2.3'],
    ['v1.2', 'v1.2.0'],
    ['v1', 'v1.0.0'],
    ['v2.0.0+incompatible', 'v2.0.0+incompatible'],
    ['2.0.0+incompatible', 'v2.0.0+incompatible'],
    ['v1.2.3+meta', 'v1.2.3'],
    ['v0.0.0-20210101000000-abcdef123456', 'v0.0.0-20210101000000-abcdef123456'],
    ['1.2.4-0.20210101000000-abcdef123456', 'v1.2.4-0.20210101000000-abcdef123456'],
  ])('normalizes %j to %j', (version, normalized) => {
    expect(go.normalize(version)).toBe(normalized);
  });

  it.each([
    '',
    'v',
    'latest',
    'master',
    'V1.2.3',
    'vv1.2.3',
    ' v1.2.3',
    'v1.2.3 ',
    'v1.2.3.4',
    'v01.2.3',
    'v1.02.3',
    'v1.2.3-',
    'v1.2.3-01',
    'v1.2.3-alpha..1',
    'v1.2.3+',
    'v1.2.3+a+b',
    'v1-pre',
    'v1.2-pre',
    'v1.2+meta',
  ])('rejects %j', (version) => {
    expect(go.isValid(version)).toBe(false);
    expect(() => go.compare(version, 'v1.0.0')).toThrow(InvalidVersionError);
    expect(() => go.compare('v1.0.0', version)).toThrow(`Invalid Go version "${version}"`);
    expect(() => go.normalize(version)).toThrow(InvalidVersionError);
  });

  it('accepts every version of the ordering table', () => {
    expect(ORDERED.filter((v) => !go.isValid(v))).toEqual([]);
  });
});
