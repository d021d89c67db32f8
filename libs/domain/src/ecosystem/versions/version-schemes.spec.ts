import { ECOSYSTEMS, type Ecosystem } from '../ecosystem.value-object';
import type { VersionScheme } from '../version-scheme';
import { goVersionScheme } from './go.version-scheme';
import { InvalidVersionError } from './invalid-version.error';
import { mavenVersionScheme } from './maven.version-scheme';
import { packagistVersionScheme } from './packagist.version-scheme';
import { pep440VersionScheme } from './pep440.version-scheme';
import { rubygemsVersionScheme } from './rubygems.version-scheme';
import { semverVersionScheme } from './semver.version-scheme';
import { SEMVER_SCHEME, versionScheme } from './version-schemes';

describe('versionScheme', () => {
  const expected: Record<Ecosystem, VersionScheme> = {
    PyPI: pep440VersionScheme,
    npm: semverVersionScheme,
    'crates.io': semverVersionScheme,
    Go: goVersionScheme,
    Maven: mavenVersionScheme,
    RubyGems: rubygemsVersionScheme,
    Packagist: packagistVersionScheme,
  };

  it.each(ECOSYSTEMS.map((ecosystem) => [ecosystem]))('gives %s its own scheme', (ecosystem) => {
    expect(versionScheme(ecosystem)).toBe(expected[ecosystem]);
  });

  // One pair per ecosystem that only its own scheme orders this way.
  it.each([
    ['PyPI', '1.0.post1', '1.0'],
    ['npm', '1.0.0-alpha.1', '1.0.0-alpha'],
    ['crates.io', '1.0.0', '1.0.0-rc.1'],
    ['Go', 'v1.2.4', 'v1.2.4-0.20210101000000-abcdef123456'],
    ['Maven', '1.0-sp1', '1.0'],
    ['RubyGems', '1.0', '1.0.a'],
    ['Packagist', '1.0.0-patch1', '1.0.0'],
  ] as const)('%s orders %s above %s', (ecosystem, high, low) => {
    expect(versionScheme(ecosystem).compare(high, low)).toBeGreaterThan(0);
  });
});

describe('SEMVER_SCHEME', () => {
  it('accepts and drops a leading v, as OSV SEMVER ranges copied from tags carry it', () => {
    expect(SEMVER_SCHEME.isValid('v1.2.3')).toBe(true);
    expect(SEMVER_SCHEME.normalize('v1.2.3-rc.1+build')).toBe('1.2.3-rc.1+build');
    expect(SEMVER_SCHEME.compare('v1.2.3', '1.2.3')).toBe(0);
    expect(SEMVER_SCHEME.compare('v1.2.3', 'v1.10.0')).toBeLessThan(0);
    expect(SEMVER_SCHEME.compare('1.0.0', 'v1.0.0-beta')).toBeGreaterThan(0);
  });

  it('is otherwise exactly as strict as SemVer 2.0', () => {
    expect(['1.2.3', '0.0.0-0', '1.2.3+b'].map((v) => SEMVER_SCHEME.isValid(v))).toEqual([true, true, true]);
    expect(
      ['1.2', 'V1.2.3', 'vv1.2.3', '=1.2.3', 'v 1.2.3', 'v01.2.3'].map((v) => SEMVER_SCHEME.isValid(v)),
    ).toEqual([false, false, false, false, false, false]);
  });

  it('names the version as written when it is invalid', () => {
    expect(() => SEMVER_SCHEME.compare('v1.2', '1.2.3')).toThrow('Invalid SemVer version "v1.2"');
    expect(() => SEMVER_SCHEME.compare('1.2.3', 'vx')).toThrow(InvalidVersionError);
    expect(() => SEMVER_SCHEME.normalize('v1')).toThrow('Invalid SemVer version "v1"');
  });
});
