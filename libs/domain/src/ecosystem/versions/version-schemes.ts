import type { Ecosystem } from '../ecosystem.value-object';
import type { VersionScheme } from '../version-scheme';
import { goVersionScheme } from './go.version-scheme';
import { mavenVersionScheme } from './maven.version-scheme';
import { packagistVersionScheme } from './packagist.version-scheme';
import { pep440VersionScheme } from './pep440.version-scheme';
import { rubygemsVersionScheme } from './rubygems.version-scheme';
import { InvalidVersionError } from './invalid-version.error';
import { semverVersionScheme } from './semver.version-scheme';

const BY_ECOSYSTEM: Record<Ecosystem, VersionScheme> = {
  PyPI: pep440VersionScheme,
  npm: semverVersionScheme,
  'crates.io': semverVersionScheme,
  Go: goVersionScheme,
  Maven: mavenVersionScheme,
  RubyGems: rubygemsVersionScheme,
  Packagist: packagistVersionScheme,
};

/** The scheme OSV `ECOSYSTEM` ranges of this ecosystem are evaluated with. */
export function versionScheme(ecosystem: Ecosystem): VersionScheme {
  return BY_ECOSYSTEM[ecosystem];
}

const withoutV = (version: string): string => (version.startsWith('v') ? version.slice(1) : version);

/** The version without its `v`; an invalid one is reported as written, `v` included. */
function bareSemver(version: string): string {
  const bare = withoutV(version);
  if (!semverVersionScheme.isValid(bare)) throw new InvalidVersionError('SemVer', version);
  return bare;
}

/**
 * For OSV `SEMVER` ranges, whatever the ecosystem: strict SemVer 2.0, except that a leading `v`
 * (which advisories copied from Git tags often carry) is accepted and dropped.
 */
export const SEMVER_SCHEME: VersionScheme = {
  isValid: (version) => semverVersionScheme.isValid(withoutV(version)),
  compare: (a, b) => semverVersionScheme.compare(bareSemver(a), bareSemver(b)),
  normalize: bareSemver,
};
