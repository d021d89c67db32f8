import SemVer from 'semver/classes/semver';
import type { VersionScheme } from '../version-scheme';
import { BoundedCache } from './bounded-cache';
import { InvalidVersionError } from './invalid-version.error';

/*
 * The SemVer 2.0 grammar exactly (semver.org's regex). `semver` itself would also take `v1.2.3`,
 * `=1.2.3` and surrounding spaces, which npm and crates.io never publish.
 */
const NUMERIC = '0|[1-9]\\d*';
const PRERELEASE_ID = `(?:${NUMERIC}|\\d*[a-z-][0-9a-z-]*)`;
const STRICT_SEMVER = new RegExp(
  `^(?:${NUMERIC})\\.(?:${NUMERIC})\\.(?:${NUMERIC})` +
    `(?:-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)?` +
    `(?:\\+[0-9a-z-]+(?:\\.[0-9a-z-]+)*)?$`,
  'i',
);

function parse(version: string): SemVer | null {
  if (!STRICT_SEMVER.test(version)) return null;
  try {
    // Also rejects components above Number.MAX_SAFE_INTEGER, which `semver` cannot order.
    return new SemVer(version);
  } catch {
    return null;
  }
}

const cache = new BoundedCache<SemVer | null>();

function parsed(version: string): SemVer {
  const result = cache.get(version, parse);
  if (!result) throw new InvalidVersionError('SemVer', version);
  return result;
}

/**
 * npm and crates.io: strict SemVer 2.0. Prereleases order below their release, identifier by
 * identifier; build metadata is ignored for ordering (`1.0.0+a == 1.0.0+b`).
 */
export const semverVersionScheme: VersionScheme = {
  isValid: (version) => cache.get(version, parse) !== null,
  // SemVer#compare looks at major.minor.patch and prerelease only, never at build metadata.
  compare: (a, b) => parsed(a).compare(parsed(b)),
  // A strictly valid string is already canonical; build metadata is kept for display.
  normalize: (version) => {
    parsed(version);
    return version;
  },
};
