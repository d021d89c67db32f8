import { InvalidVersionError } from './invalid-version.error';
import { expectOrderingTable, comparisons } from './ordering-table.test-helper';
import { rubygemsVersionScheme as rubygems } from './rubygems.version-scheme';

// Gem::Version order: letters make a prerelease, compared byte-wise (upper case first).
const ORDERED = [
  '0.0.1',
  '0.9',
  '0.10.a',
  '1.0.RC1',
  '1.0.a',
  '1.0.a.1',
  '1.0.a.2',
  '1.0.a10',
  '1.0.b1',
  '1.0.beta',
  '1.0.beta.2',
  '1.0.pre',
  '1.0-1',
  '1.0.rc1',
  '1.0',
  '1.0.0.1',
  '1.0.1.a',
  '1.0.1',
  '1.1',
  '1.2.3',
  '1.10',
  '2',
  '2.0.0.1',
  '10',
  '123456789012345678901234567890',
  '123456789012345678901234567891',
];

describe('rubygemsVersionScheme', () => {
  it('sorts shuffled copies of a RubyGems ordering table back into order', () => {
    expectOrderingTable(rubygems, ORDERED);
  });

  it.each([
    ['1.0', '1.0.a'],
    ['1.0.a', '1.0.RC1'], // Ruby compares strings by bytes: 'R' < 'a'
    ['1.0.b', '1.0.a.9'],
    ['1.0.a10', '1.0.a9'],
    ['1.0.0.1', '1.0'],
    ['1.0-2', '1.0-1'],
  ])('%s > %s', (high, low) => {
    expect(rubygems.compare(high, low)).toBeGreaterThan(0);
    expect(rubygems.compare(low, high)).toBeLessThan(0);
  });

  it.each([
    [['1', '1.0', '1.0.0', ' 1.0.0 ', '01.0', '1.00']],
    [['1.0.a', '1.0a', '1.0.a.0', '1.0.0.a']],
    [['1.0-1', '1.0.pre.1']],
    [['1.0.b1', '1.0.b.1', '1.0b1']],
  ])('treats %j as equal', (versions) => {
    expect(comparisons(rubygems, versions).filter(([, , sign]) => sign !== 0)).toEqual([]);
  });

  it.each([
    [' 1.0 ', '1.0'],
    ['1.0.0', '1.0.0'],
    ['1.0-1', '1.0.pre.1'],
    ['1.0-rc-1', '1.0.pre.rc.pre.1'],
    ['3.2.0.rc1', '3.2.0.rc1'],
  ])('normalizes %j to %j', (version, normalized) => {
    expect(rubygems.normalize(version)).toBe(normalized);
  });

  it.each([
    '',
    '   ',
    'a1.0',
    'v1.0',
    '=1.0',
    '>= 1.0',
    '~> 1.0',
    '1..0',
    '1.0.',
    '.1',
    '1,0',
    '1.0 beta',
    '1.0_1',
    '1.0-',
    '1.0+build',
  ])('rejects %j', (version) => {
    expect(rubygems.isValid(version)).toBe(false);
    expect(() => rubygems.compare(version, '1.0')).toThrow(InvalidVersionError);
    expect(() => rubygems.compare('1.0', version)).toThrow(`Invalid RubyGems version "${version}"`);
    expect(() => rubygems.normalize(version)).toThrow(InvalidVersionError);
  });

  it('accepts every version of the ordering table', () => {
    expect(ORDERED.filter((v) => !rubygems.isValid(v))).toEqual([]);
  });
});
