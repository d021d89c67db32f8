import { InvalidVersionError } from './invalid-version.error';
import { expectOrderingTable, comparisons } from './ordering-table.test-helper';
import { pep440VersionScheme as pep440 } from './pep440.version-scheme';

// packaging's own ordering test list, plus epochs and the big-number and local edge cases.
const ORDERED = [
  '1.0.dev456',
  '1.0a1',
  '1.0a2.dev456',
  '1.0a12.dev456',
  '1.0a12',
  '1.0b1.dev456',
  '1.0b2',
  '1.0b2.post345.dev456',
  '1.0b2.post345',
  '1.0b2-346',
  '1.0c1.dev456',
  '1.0c1',
  '1.0rc2',
  '1.0c3',
  '1.0',
  '1.0+abc.5',
  '1.0.post456.dev34',
  '1.0.post456',
  '1.0.15',
  '1.1.dev1',
  '1.2+0x1',
  '1.2+123abc',
  '1.2+123abc456',
  '1.2+abc',
  '1.2+abc123',
  '1.2+abc123def',
  '1.2+1',
  '1.2+1234.abc',
  '1.2+123456',
  '1.2.r32+123456',
  '1.2.rev33+123456',
  '1.9007199254740992',
  '1.9007199254740993',
  '2021.1',
  '1!0.1',
  '1!1.0b2.post345.dev456',
  '1!1.0',
  '2!0.0.1.dev0',
];

describe('pep440VersionScheme', () => {
  it('sorts shuffled copies of a PEP 440 ordering table back into order', () => {
    expectOrderingTable(pep440, ORDERED);
  });

  it.each([
    ['1.0.post1', '1.0'],
    ['1.0', '1.0rc1'],
    ['1.0+local', '1.0'],
    ['1.0a1', '1.0.dev1'],
    ['1.0', '1.0.dev1'],
    ['1.0.post1.dev0', '1.0'],
    ['1.0.post1', '1.0.post1.dev0'],
    ['1.0.post1', '1.0+local'],
    ['1!0.1', '2024.1'],
    ['1.0a1', '1.0a1.dev1'],
    ['1.0a1.post1', '1.0a1'],
    ['1.0+abc', '1.0+ABA'],
    ['1.0+1', '1.0+0x1'], // a numeric segment outranks an alphanumeric one that only looks numeric
    ['1.0+1.0', '1.0+1'],
  ])('%s > %s', (high, low) => {
    expect(pep440.compare(high, low)).toBeGreaterThan(0);
    expect(pep440.compare(low, high)).toBeLessThan(0);
  });

  it.each([
    [['1.0', '1.0.0', '1', '1.0.0.0', 'v1.0', 'V1.0', '01.0', '0!1.0', ' 1.0 ']],
    [['1.0a1', '1.0alpha1', '1.0-a1', '1.0.a.1', '1.0A1', '1.0a01', '1.0_alpha_1']],
    [['1.0rc1', '1.0c1', '1.0pre1', '1.0preview1', '1.0-rc.1', '1.0RC1']],
    [['1.0.post1', '1.0-1', '1.0post1', '1.0.r1', '1.0-rev1', '1.0.post.1']],
    [['1.0.dev0', '1.0.dev', '1.0-dev0', '1.0dev']],
    [['1.0a', '1.0a0']],
    [['1.0.post', '1.0.post0']],
    [['1.0+abc.1', '1.0+ABC-1', '1.0+abc_01']],
  ])('treats %j as equal', (versions) => {
    expect(comparisons(pep440, versions).filter(([, , sign]) => sign !== 0)).toEqual([]);
  });

  it.each([
    ['1.0.0.0', '1.0.0.0'],
    ['v1.0', '1.0'],
    [' 1.0 ', '1.0'],
    ['1.0-1', '1.0.post1'],
    ['1.0ALPHA1', '1.0a1'],
    ['1.0c1', '1.0rc1'],
    ['1.0.dev', '1.0.dev0'],
    ['01!02.003-rev04.DEV05+Ubuntu-01', '1!2.3.post4.dev5+ubuntu.1'],
    ['1.0+0x1', '1.0+0x1'],
    ['1.9007199254740993', '1.9007199254740993'],
  ])('normalizes %j to %j', (version, normalized) => {
    expect(pep440.normalize(version)).toBe(normalized);
  });

  it.each([
    '',
    'abc',
    'latest',
    '1.0.',
    '1..0',
    '.1',
    '1.0-beta_x',
    '1.0+',
    '1.0+abc..1',
    '1.0.0-SNAPSHOT',
    '1.0 beta',
    '=1.0',
    '1.0~rc1',
    '1.0.*',
  ])('rejects %j', (version) => {
    expect(pep440.isValid(version)).toBe(false);
    expect(() => pep440.compare(version, '1.0')).toThrow(InvalidVersionError);
    expect(() => pep440.compare('1.0', version)).toThrow(`Invalid PEP 440 version "${version}"`);
    expect(() => pep440.normalize(version)).toThrow(InvalidVersionError);
  });

  it('accepts every version of the ordering table', () => {
    expect(ORDERED.filter((v) => !pep440.isValid(v))).toEqual([]);
  });
});
