import { InvalidVersionError } from './invalid-version.error';
import { expectOrderingTable, comparisons } from './ordering-table.test-helper';
import { mavenVersionScheme as maven } from './maven.version-scheme';

// apache/maven ComparableVersionTest (3.9 line): VERSIONS_QUALIFIER and VERSIONS_NUMBER.
const VERSIONS_QUALIFIER = [
  '1-alpha2snapshot',
  '1-alpha2',
  '1-alpha-123',
  '1-beta-2',
  '1-beta123',
  '1-m2',
  '1-m11',
  '1-rc',
  '1-cr2',
  '1-rc123',
  '1-SNAPSHOT',
  '1',
  '1-sp',
  '1-sp2',
  '1-sp123',
  '1-abc',
  '1-def',
  '1-pom-1',
  '1-1-snapshot',
  '1-1',
  '1-2',
  '1-123',
];
const VERSIONS_NUMBER = [
  '2.0',
  '2.0.a',
  '2-1',
  '2.0.2',
  '2.0.123',
  '2.1.0',
  '2.1-a',
  '2.1b',
  '2.1-c',
  '2.1-1',
  '2.1.0.1',
  '2.2',
  '2.123',
  '11.a2',
  '11.a11',
  '11.b2',
  '11.b11',
  '11.m2',
  '11.m11',
  '11',
  '11.a',
  '11b',
  '11c',
  '11m',
];
// Release histories as they appear on Maven Central.
const CENTRAL_HISTORY = [
  '1.2.17',
  '2.0-alpha1',
  '2.0-beta9',
  '2.0-rc1',
  '2.0',
  '2.12.0-rc1',
  '2.12.0',
  '2.12.7.1',
  '2.13.0',
  '2.14.1',
  '2.15.0',
  '2.17.0',
  '4.1.94.Final',
  '4.1.100.Final',
  '5.3.0-M1',
  '5.3.0-RC1',
  '5.3.0-SNAPSHOT',
  '5.3.0.RELEASE',
  '5.3.0-SP1',
  '31.1-jre',
  '32.0.0-android',
  '32.0.0-jre',
];

describe('mavenVersionScheme', () => {
  it.each([
    ['VERSIONS_QUALIFIER', VERSIONS_QUALIFIER],
    ['VERSIONS_NUMBER', VERSIONS_NUMBER],
    ['a Maven Central history', CENTRAL_HISTORY],
  ])('sorts shuffled copies of %s back into order', (_name, ordered) => {
    expectOrderingTable(maven, ordered);
  });

  // testVersionsEqual, testVersionsHaveSameOrderButAreNotEqual, testLexicographicASCIISortOrder,
  // testCompareLowerCaseToUpperCase*, testLocaleIndependent, testMng7644.
  it.each([
    [['1', '1.0', '1.0.0', '1-0', '1.0-0']],
    [['1a', '1-a', '1.0-a', '1.0.0-a', '1.0a', '1.0.0a']],
    [['1x', '1-x', '1.0-x', '1.0.0-x', '1.0x', '1.0.0x', '1X']],
    [['1cr', '1rc', '1Cr', '1Rc', '1cR', '1rC']],
    [['1a1', '1-alpha-1']],
    [['1b2', '1-beta-2']],
    [['1m3', '1-milestone-3', '1Milestone3', '1MileStone3', '1MILESTONE3']],
    [['1A', '1a']],
    [['1B', '1b']],
    [['1M', '1m']],
    [
      [
        '1',
        '1ga',
        '1release',
        '1final',
        '1Ga',
        '1GA',
        '1RELEASE',
        '1RELeaSE',
        '1Final',
        '1FinaL',
        '1FINAL',
        '1-final',
      ],
    ],
    [['1.0.0-alpha1', '1.0.0-ALPHA1']],
    [['1.a', '1.A']],
    [['1.é', '1.É']],
    [['1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ']],
    ...['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC'].map((x) => [
      [`2-${x}`, `2.0.${x}`, `2.0.0.${x}`],
    ]),
  ])('treats %j as equal', (versions) => {
    expect(comparisons(maven, versions).filter(([, , sign]) => sign !== 0)).toEqual([]);
  });

  it('treats any number of leading zeroes as the same number (MNG-6572)', () => {
    const ones = Array.from({ length: 19 }, (_, i) => `${'0'.repeat(i)}1`);
    const zeroes = Array.from({ length: 19 }, (_, i) => '0'.repeat(i + 1));
    expect(comparisons(maven, ones).filter(([, , sign]) => sign !== 0)).toEqual([]);
    expect(comparisons(maven, zeroes).filter(([, , sign]) => sign !== 0)).toEqual([]);
  });

  // testVersionComparing, testLeadingZeroes, testMng5568, testMng6572, testMng6964, testMng7644,
  // testCompareDigitToLetter, testLexicographicOrder.
  it.each([
    ['1', '2'],
    ['1.5', '2'],
    ['1', '2.5'],
    ['1.0', '1.1'],
    ['1.1', '1.2'],
    ['1.0.0', '1.1'],
    ['1.0.1', '1.1'],
    ['1.1', '1.2.0'],
    ['1.0-alpha-1', '1.0'],
    ['1.0-alpha-1', '1.0-alpha-2'],
    ['1.0-alpha-1', '1.0-beta-1'],
    ['1.0-beta-1', '1.0-SNAPSHOT'],
    ['1.0-SNAPSHOT', '1.0'],
    ['1.0-alpha-1-SNAPSHOT', '1.0-alpha-1'],
    ['1.0', '1.0-1'],
    ['1.0-1', '1.0-2'],
    ['1.0.0', '1.0-1'],
    ['2.0-1', '2.0.1'],
    ['2.0.1-klm', '2.0.1-lmn'],
    ['2.0.1', '2.0.1-xyz'],
    ['2.0.1', '2.0.1-123'],
    ['2.0.1-xyz', '2.0.1-123'],
    ['0.7', '2'],
    ['0.2', '1.0.7'],
    ['6.1.0rc3', '6.1.0'],
    ['6.1.0rc3', '6.1H.5-beta'],
    ['6.1.0', '6.1H.5-beta'],
    ['20190126.230843', '1234567890.12345'],
    ['1234567890.12345', '123456789012345.1H.5-beta'],
    ['123456789012345.1H.5-beta', '12345678901234567890.1H.5-beta'],
    ['1-0.alpha', '1'],
    ['1-0.beta', '1'],
    ['1-0.alpha', '1-0.beta'],
    ...['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC'].map((x) => [
      `1.0.0.${x}1`,
      `1.0.0-${x}2`,
    ]),
    ['J', '7'],
    ['c', '7'],
    ['aardvark', 'zebra'],
    ['zebra', 'ζέβρα'],
    ['1-alpha', '1-beta'],
    ['1-beta', '1-milestone'],
    ['1-milestone', '1-rc'],
    ['1-rc', '1-snapshot'],
    ['1-snapshot', '1'],
    ['1', '1-sp'],
    ['1-sp', '1-xyz'],
  ])('%s < %s', (low, high) => {
    expect(maven.compare(low, high)).toBeLessThan(0);
    expect(maven.compare(high, low)).toBeGreaterThan(0);
  });

  it.each(['1.0-sp1-redhat', '1.0-sp-1-redhat', '1.0-sp.1-redhat'])(
    'keeps Maven 3.9 order 1.0.final-redhat > %s (MNG-7714 reversed it in Maven 4 only)',
    (servicePack) => {
      expect(maven.compare('1.0.final-redhat', servicePack)).toBeGreaterThan(0);
      expect(maven.compare(servicePack, '1.0.final-redhat')).toBeLessThan(0);
    },
  );

  // testGetCanonical (MNG-7700) and the round trip newComparable() checks for every vector.
  it.each([
    ['0.x', 'x'],
    ['0.2', '0.2'],
    ['1.0.0', '1'],
    ['1-SNAPSHOT', '1-snapshot'],
    ['1.0-alpha-1', '1-alpha-1'],
    ['1a1', '1-alpha-1'],
    ['1.0-cr2', '1-rc-2'],
    ['2.0.0.RELEASE', '2'],
    ['4.1.94.Final', '4.1.94'],
    ['007', '7'],
  ])('normalizes %j to its canonical form %j', (version, canonical) => {
    expect(maven.normalize(version)).toBe(canonical);
  });

  it('gives canonical forms that are their own canonical form', () => {
    const unstable = [
      ...VERSIONS_QUALIFIER,
      ...VERSIONS_NUMBER,
      ...CENTRAL_HISTORY,
      '0.x',
      '0-x',
      '0.rc',
      '0-1',
    ]
      .map((v) => maven.normalize(v))
      .filter((canonical) => maven.normalize(canonical) !== canonical);
    expect(unstable).toEqual([]);
  });

  it.each(['', 'foo', '1..2', '-', '.', 'ζέβρα', 'x'.repeat(256)])(
    'accepts %j: every string is a Maven version',
    (version) => {
      expect(maven.isValid(version)).toBe(true);
      expect(() => maven.compare(version, '1')).not.toThrow();
    },
  );

  it('refuses strings longer than 256 characters, as Maven 4 does', () => {
    const tooLong = `1${'-1'.repeat(128)}`;
    expect(tooLong).toHaveLength(257);
    expect(maven.isValid(tooLong)).toBe(false);
    expect(() => maven.compare(tooLong, '1')).toThrow(InvalidVersionError);
    expect(() => maven.compare('1', tooLong)).toThrow(`Invalid Maven version "${tooLong}"`);
    expect(() => maven.normalize(tooLong)).toThrow(InvalidVersionError);
  });
});
