import type { VersionScheme } from '../version-scheme';
import { BoundedCache } from './bounded-cache';
import { InvalidVersionError } from './invalid-version.error';
import { compareDigitStrings, compareStrings } from './numeric-string';

/*
 * A port of golang.org/x/mod/semver: a leading `v`, `vMAJOR` and `vMAJOR.MINOR` shorthands
 * (meaning .0), prerelease and build only after a full triple, numbers of any size. Build metadata
 * (`+incompatible`) is ignored for ordering, as Go's semver.Compare does.
 */
const NUMERIC = '0|[1-9]\\d*';
const PRERELEASE_ID = `(?:${NUMERIC}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const GO_SEMVER = new RegExp(
  `^v(${NUMERIC})(?:\\.(${NUMERIC})(?:\\.(${NUMERIC})` +
    `(-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)?` +
    `(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?)?$`,
);

interface GoVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Dot-separated identifiers after `-`; empty for a release. */
  readonly prerelease: readonly string[];
  /** `+incompatible`, `+meta`, or empty. */
  readonly build: string;
}

function parse(version: string): GoVersion | null {
  // OSV sometimes writes Go versions without the `v` Go requires.
  const withV = /^\d/.test(version) ? `v${version}` : version;
  const match = GO_SEMVER.exec(withV);
  if (!match) return null;
  const [, major, minor, patch, prerelease, build] = match;
  return {
    major,
    minor: minor ?? '0',
    patch: patch ?? '0',
    prerelease: prerelease ? prerelease.slice(1).split('.') : [],
    build: build ?? '',
  };
}

const isNumeric = (id: string): boolean => /^\d+$/.test(id);

/** x/mod/semver comparePrerelease: a release beats any prerelease; numbers before words. */
function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return Math.sign(b.length - a.length);
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    const xNumeric = isNumeric(x);
    if (xNumeric !== isNumeric(y)) return xNumeric ? -1 : 1;
    return xNumeric ? compareDigitStrings(x, y) : compareStrings(x, y);
  }
  return Math.sign(a.length - b.length);
}

function compareParsed(a: GoVersion, b: GoVersion): number {
  return (
    compareDigitStrings(a.major, b.major) ||
    compareDigitStrings(a.minor, b.minor) ||
    compareDigitStrings(a.patch, b.patch) ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

const cache = new BoundedCache<GoVersion | null>();

function parsed(version: string): GoVersion {
  const result = cache.get(version, parse);
  if (!result) throw new InvalidVersionError('Go', version);
  return result;
}

/**
 * Go modules: `v1.2.3`, pseudo-versions (`v0.0.0-20210101000000-abcdef123456`,
 * `v1.2.4-0.20210101000000-abcdef123456`, which sort below the release they precede) and
 * `+incompatible`. normalize gives golang.org/x/mod/module.CanonicalVersion: `v` added,
 * shorthands expanded, build metadata dropped except `+incompatible`.
 */
export const goVersionScheme: VersionScheme = {
  isValid: (version) => cache.get(version, parse) !== null,
  compare: (a, b) => compareParsed(parsed(a), parsed(b)),
  normalize: (version) => {
    const v = parsed(version);
    const prerelease = v.prerelease.length > 0 ? `-${v.prerelease.join('.')}` : '';
    const build = v.build === '+incompatible' ? v.build : '';
    return `v${v.major}.${v.minor}.${v.patch}${prerelease}${build}`;
  },
};
