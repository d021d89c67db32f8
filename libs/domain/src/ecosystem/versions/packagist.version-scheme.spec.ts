import { InvalidVersionError } from './invalid-version.error';
import { expectOrderingTable, comparisons } from './ordering-table.test-helper';
import { packagistVersionScheme as packagist } from './packagist.version-scheme';

// Composer order: dev < alpha < beta < RC < stable < patch, then numeric and date-based versions.
const ORDERED = [
  '1.0.0-dev',
  '1.0.0-alpha',
  '1.0.0-alpha1',
  '1.0.0-a2',
  '1.0.0-alpha.10',
  '1.0.0-beta',
  '1.0.0-beta1-dev',
  '1.0.0-beta1',
  '1.0.0-b2',
  '1.0.0-RC1',
  '1.0.0-rc2',
  '1.0.0',
  '1.0.0-patch1',
  '1.0.0-pl2',
  '1.0.0.1',
  '1.0.1-dev',
  'v1.0.1',
  '1.1',
  '1.2.3.4',
  '1.x-dev',
  '2.0.0-beta.1',
  '2.0.0',
  '10.0.0',
  '2021.01.01',
  '20210101',
];

describe('packagistVersionScheme', () => {
  it('sorts shuffled copies of a Composer ordering table back into order', () => {
    expectOrderingTable(packagist, ORDERED);
  });

  it.each([
    ['1.0.0-alpha1', '1.0.0-dev'],
    ['1.0.0-beta1', '1.0.0-alpha9'],
    ['1.0.0-RC1', '1.0.0-beta9'],
    ['1.0.0', '1.0.0-RC9'],
    ['1.0.0-patch1', '1.0.0'],
    ['1.0.0-beta10', '1.0.0-beta9'],
    ['1.0.0-beta1', '1.0.0-beta1-dev'],
    ['1.0.0-beta', '1.0.0-alpha.10'],
  ])('%s > %s', (high, low) => {
    expect(packagist.compare(high, low)).toBeGreaterThan(0);
    expect(packagist.compare(low, high)).toBeLessThan(0);
  });

  it.each([
    [
      [
        '1.0.0',
        '1.0',
        '1',
        'v1.0.0',
        '1.0.0.0',
        '1.0.0+build.5',
        '1.0.0-stable',
        '1.0.0@stable',
        '1.0.0 as 2.0.0',
      ],
    ],
    [['1.0.0-rc1', '1.0.0-RC1', '1.0.0.RC1', '1.0.0-RC.1', '1.0.0rc1']],
    [['1.0.0-patch1', '1.0.0-pl1', '1.0.0-p1']],
    [['1.0.0-b1', '1.0.0-beta1', '1.0.0-beta.1', '1.0.0-beta-1']],
    [['1.0.0-a', '1.0.0-alpha']],
    [['1.0-dev', '1.0.0-dev', '1.0.0.0-dev']],
  ])('treats %j as equal', (versions) => {
    expect(comparisons(packagist, versions).filter(([, , sign]) => sign !== 0)).toEqual([]);
  });

  it.each([
    ['v1.0', '1.0.0.0'],
    ['1.0-rc1', '1.0.0.0-RC1'],
    ['1.2.3-pl4', '1.2.3.0-patch4'],
    ['1.0.0-beta.2-dev', '1.0.0.0-beta2-dev'],
    ['1.0.0@dev', '1.0.0.0'],
    ['1.x-dev', '1.9999999.9999999.9999999-dev'],
    ['2.1.x-dev', '2.1.9999999.9999999-dev'],
    ['2021-01-01', '2021.01.01'],
    ['20210101120000', '20210101120000'],
    ['1.0.0-STABLE', '1.0.0.0-stable'], // Composer only drops a lower-case `stable`
  ])('normalizes %j to %j', (version, normalized) => {
    expect(packagist.normalize(version)).toBe(normalized);
  });

  it.each([
    '',
    'abc',
    'master',
    'trunk',
    'dev-master',
    'dev-feature/login',
    'feature-dev',
    '1.0.0-foo',
    '1.0.0-beta.x',
    '1.0.0.0.0',
    '123456.0.0',
    '^1.0',
    '1.0.*',
  ])('rejects %j', (version) => {
    expect(packagist.isValid(version)).toBe(false);
    expect(() => packagist.compare(version, '1.0.0')).toThrow(InvalidVersionError);
    expect(() => packagist.compare('1.0.0', version)).toThrow(`Invalid Composer version "${version}"`);
    expect(() => packagist.normalize(version)).toThrow(InvalidVersionError);
  });

  it('accepts every version of the ordering table', () => {
    expect(ORDERED.filter((v) => !packagist.isValid(v))).toEqual([]);
  });

  // How fast it says so is measured by `npm run bench:domain`, not by a timed test.
  it('rejects a long run of digits after a stability flag', () => {
    expect(packagist.isValid(`1.0.0-beta${'1'.repeat(5000)}x`)).toBe(false);
  });
});
