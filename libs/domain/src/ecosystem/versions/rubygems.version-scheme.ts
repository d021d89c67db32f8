import { Version } from '@renovatebot/ruby-semver/dist/ruby/version';
import type { VersionScheme } from '../version-scheme';
import { BoundedCache } from './bounded-cache';
import { InvalidVersionError } from './invalid-version.error';
import { compareDigitStrings, compareStrings, stripLeadingZeros } from './numeric-string';

/*
 * Gem::Version semantics. @renovatebot/ruby-semver decides what is a version and spells it the way
 * RubyGems does (stripped, `-` → `.pre.`); the ordering follows Gem::Version#<=> on
 * canonical_segments, written here because the library recomputes the segments on every call,
 * parses numbers with parseInt (imprecise past 2^53) and compares letters with localeCompare
 * where Ruby compares bytes (`1.0.RC1 < 1.0.a`).
 */

/** A run of digits (without leading zeros) or of letters. */
interface Segment {
  readonly numeric: boolean;
  readonly value: string;
}

interface GemVersion {
  /** Gem::Version#to_s. */
  readonly version: string;
  /** Gem::Version#canonical_segments: trailing zeros dropped from the numeric and the string part. */
  readonly segments: readonly Segment[];
}

function isZero(segment: Segment): boolean {
  return segment.numeric && segment.value === '0';
}

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && isZero(segments[end - 1])) end--;
  return segments.slice(0, end);
}

function parse(version: string): GemVersion | null {
  // Ruby reads a blank string as "0"; as an advisory or lock file version it is missing data.
  if (version.trim() === '' || !Version.isCorrect(version)) return null;
  const gem = Version.create(version);
  if (!gem) return null;
  const normalized = gem.version();
  const all = (normalized.match(/\d+|[a-z]+/gi) ?? []).map((s): Segment =>
    /^\d/.test(s) ? { numeric: true, value: stripLeadingZeros(s) } : { numeric: false, value: s },
  );
  const firstString = all.findIndex((s) => !s.numeric);
  const split = firstString === -1 ? all.length : firstString;
  return {
    version: normalized,
    segments: [...dropTrailingZeros(all.slice(0, split)), ...dropTrailingZeros(all.slice(split))],
  };
}

const ZERO_SEGMENT: Segment = { numeric: true, value: '0' };

/** Gem::Version#<=>: missing segments count as 0; a string segment is below any number. */
function compareParsed(a: GemVersion, b: GemVersion): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const l = a.segments[i] ?? ZERO_SEGMENT;
    const r = b.segments[i] ?? ZERO_SEGMENT;
    if (l.numeric !== r.numeric) return l.numeric ? 1 : -1;
    const result = l.numeric ? compareDigitStrings(l.value, r.value) : compareStrings(l.value, r.value);
    if (result !== 0) return result;
  }
  return 0;
}

const cache = new BoundedCache<GemVersion | null>();

function parsed(version: string): GemVersion {
  const result = cache.get(version, parse);
  if (!result) throw new InvalidVersionError('RubyGems', version);
  return result;
}

/** RubyGems: `1.0.a < 1.0`, `1.0.0 == 1`, `1.0-1` is `1.0.pre.1`; any letter makes a prerelease. */
export const rubygemsVersionScheme: VersionScheme = {
  isValid: (version) => cache.get(version, parse) !== null,
  compare: (a, b) => compareParsed(parsed(a), parsed(b)),
  normalize: (version) => parsed(version).version,
};
