import { InvalidVersionError } from './invalid-version.error';
import { expectOrderingTable, comparisons } from './ordering-table.test-helper';
import { semverVersionScheme as semver } from './semver.version-scheme';

// semver.org's precedence example inside a wider npm/crates.io release history.
const ORDERED = [
  '0.0.0',
  '0.0.1',
  '0.1.0',
  '0.9.9',
  '1.0.0-0',
  '1.0.0-ALPHA',
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-alpha-1',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0',
  '1.0.1',
  '1.1.0',
  '1.2.3-9',
  '1.2.3-10',
  '1.2.3-10.a',
  '1.2.3',
  '1.10.0',
  '2.0.0-0',
  '2.0.0',
  '10.0.0',
  '9007199254740991.0.0',
];

describe('semverVersionScheme', () => {
  it('sorts shuffled copies of a SemVer 2.0 ordering table back into order', () => {
    expectOrderingTable(semver, ORDERED);
  });

  it.each([
    ['1.0.0-alpha.1', '1.0.0-alpha'],
    ['1.0.0-beta', '1.0.0-alpha.1'],
    ['1.0.0', '1.0.0-beta'],
    ['1.0.0-alpha', '1.0.0-ALPHA'], // ASCII: upper case sorts first
    ['1.0.0-alpha', '1.0.0-999'], // numeric identifiers sort below alphanumeric ones
    ['1.0.0-alpha.beta', '1.0.0-alpha.1'],
    ['1.0.0-11', '1.0.0-9'], // numerically, not lexically
  ])('%s > %s', (high, low) => {
    expect(semver.compare(high, low)).toBeGreaterThan(0);
    expect(semver.compare(low, high)).toBeLessThan(0);
  });

  it.each([
    [['1.0.0', '1.0.0+build.1', '1.0.0+20130313144700', '1.0.0+exp.sha.5114f85']],
    [['1.0.0-beta', '1.0.0-beta+exp.sha.5114f85', '1.0.0-beta+001']],
  ])('ignores build metadata: %j are equal', (versions) => {
    expect(comparisons(semver, versions).filter(([, , sign]) => sign !== 0)).toEqual([]);
  });

  it.each(['1.0.0', '1.0.0+build.01', '1.0.0-rc.1+sha.5114f85'])('keeps %j as written', (version) => {
    expect(semver.normalize(version)).toBe(version);
  });

  it.each([
    '',
    'latest',
    'v1.0.0',
    'V1.0.0',
    '=1.0.0',
    ' 1.0.0',
    '1.0.0 ',
    '^1.0.0',
    '1.x',
    '1.0',
    '1',
    '1.2.3.4',
    '01.0.0',
    '1.01.0',
    '1.0.00',
    '1.0.0-01',
    '1.0.0-',
    '1.0.0+',
    '1.0.0-alpha..1',
    '1.0.0+build..1',
    '1.0.0-alpha_1',
    '1.0.0+build_1',
    '9007199254740992.0.0',
  ])('rejects %j', (version) => {
    expect(semver.isValid(version)).toBe(false);
    expect(() => semver.compare(version, '1.0.0')).toThrow(InvalidVersionError);
    expect(() => semver.compare('1.0.0', version)).toThrow(`Invalid SemVer version "${version}"`);
    expect(() => semver.normalize(version)).toThrow(InvalidVersionError);
  });

  it('accepts every version of the ordering table', () => {
    expect(ORDERED.filter((v) => !semver.isValid(v))).toEqual([]);
  });
});
