import type { VersionScheme } from '../version-scheme';
import { BoundedCache } from './bounded-cache';
import { InvalidVersionError } from './invalid-version.error';
import { compareDigitStrings, stripLeadingZeros } from './numeric-string';

/*
 * Composer: VersionParser::normalize (composer/semver) turns a version into `1.2.3.0-beta2`, then
 * Constraint compares normalized versions with PHP's version_compare. Both are ported here.
 * Possessive quantifiers in Composer's regexes are emulated with `(?=(...))\N`, which also keeps
 * long digit runs from backtracking.
 */

/** Composer's $modifierRegex; `numbersGroup` is the index its possessive number run captures into. */
function modifier(numbersGroup: number): string {
  return `[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)(?=((?:[.-]?\\d+)*))\\${numbersGroup})?([.-]?dev)?`;
}
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${modifier(6)}$`, 'i');
const DATE_BASED = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${modifier(3)}$`, 'i');
const BRANCH = /^v?(\d+)(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?$/i;
const ALIAS = /^([^,\s]+) +as +[^,\s]+$/;
const STABILITY_FLAG = /@(?:stable|RC|beta|alpha|dev)$/i;
const BUILD_METADATA = /^([^,\s+]+)\+\S+$/;

function expandStability(stability: string): string {
  const lower = stability.toLowerCase();
  switch (lower) {
    case 'a':
      return 'alpha';
    case 'b':
      return 'beta';
    case 'p':
    case 'pl':
      return 'patch';
    case 'rc':
      return 'RC';
    default:
      return lower;
  }
}

/** VersionParser::normalizeBranch for numeric branches (`1.x` → `1.9999999.9999999.9999999-dev`). */
function normalizeNumericBranch(name: string): string | null {
  const match = BRANCH.exec(name.trim());
  if (!match) return null;
  let version = '';
  for (let i = 1; i < 5; i++) version += match[i] !== undefined ? match[i].replace(/[*X]/g, 'x') : '.x';
  return `${version.replace(/x/g, '9999999')}-dev`;
}

/**
 * VersionParser::normalize, or null where Composer throws and for `dev-*` branches, which Composer
 * never orders against versions.
 */
export function normalizeComposerVersion(input: string): string | null {
  let version = input.trim();
  const alias = ALIAS.exec(version);
  if (alias) version = alias[1];
  const flag = STABILITY_FLAG.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (['master', 'trunk', 'default'].includes(version) || version.toLowerCase().startsWith('dev-')) {
    return null;
  }
  const build = BUILD_METADATA.exec(version);
  if (build) version = build[1];

  let matches = CLASSICAL.exec(version);
  let index: number;
  if (matches) {
    version = matches[1] + (matches[2] || '.0') + (matches[3] || '.0') + (matches[4] || '.0');
    index = 5;
  } else {
    matches = DATE_BASED.exec(version);
    if (!matches) {
      const branch = /^(.*?)[.-]?dev$/i.exec(version);
      return branch ? normalizeNumericBranch(branch[1]) : null;
    }
    version = matches[1].replace(/\D/g, '.');
    index = 2;
  }
  const stability = matches[index];
  if (stability) {
    // Composer compares case-sensitively here: `-STABLE` is kept as `-stable`.
    if (stability === 'stable') return version;
    version += `-${expandStability(stability)}${(matches[index + 1] ?? '').replace(/^[.-]+/, '')}`;
  }
  if (matches[index + 2]) version += '-dev';
  return version;
}

/*
 * PHP version_compare: canonicalise (`-_+` and other non-alphanumerics become `.`, a `.` goes
 * between digits and letters), then compare part by part: numbers numerically, words by their
 * special form (dev < alpha = a < beta = b < RC = rc < number < pl = p; anything else below dev),
 * a number against a word as the form `#`.
 */
const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const NUMBER_FORM = 4;

/** PHP matches the special forms by prefix (strncmp), so `patch` counts as `p`. */
function specialForm(part: string): number {
  for (const [name, order] of SPECIAL_FORMS) if (part.startsWith(name)) return order;
  return -1;
}

const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;
const isAlnumCode = (code: number): boolean =>
  isDigitCode(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

function canonicalParts(version: string): string[] {
  let out = version[0] ?? '';
  for (let i = 1; i < version.length; i++) {
    const code = version.charCodeAt(i);
    const previous = version.charCodeAt(i - 1);
    const needsDot = !out.endsWith('.');
    if (code === 45 || code === 95 || code === 43) {
      // - _ +
      if (needsDot) out += '.';
    } else if (previous !== 46 && code !== 46 && isDigitCode(previous) !== isDigitCode(code)) {
      // A digit/non-digit boundary (dots aside) gets a dot; PHP keeps the character itself.
      if (needsDot) out += '.';
      out += version[i];
    } else if (!isAlnumCode(code)) {
      if (needsDot) out += '.';
    } else {
      out += version[i];
    }
  }
  return out.split('.');
}

function comparePart(a: string, b: string): number {
  const aNumber = isDigitCode(a.charCodeAt(0));
  const bNumber = isDigitCode(b.charCodeAt(0));
  if (aNumber && bNumber) return compareDigitStrings(stripLeadingZeros(a), stripLeadingZeros(b));
  const aForm = aNumber ? NUMBER_FORM : specialForm(a);
  const bForm = bNumber ? NUMBER_FORM : specialForm(b);
  return Math.sign(aForm - bForm);
}

/** What is left of the longer version decides: a number makes it newer, a word by its form. */
function compareRest(part: string): number {
  return isDigitCode(part.charCodeAt(0)) ? 1 : Math.sign(specialForm(part) - NUMBER_FORM);
}

function phpVersionCompare(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const result = comparePart(a[i], b[i]);
    if (result !== 0) return result;
  }
  if (a.length > b.length) return compareRest(a[length]);
  if (b.length > a.length) return -compareRest(b[length]);
  return 0;
}

interface ComposerVersion {
  readonly normalized: string;
  readonly parts: readonly string[];
}

function parse(version: string): ComposerVersion | null {
  const normalized = normalizeComposerVersion(version);
  return normalized === null ? null : { normalized, parts: canonicalParts(normalized) };
}

const cache = new BoundedCache<ComposerVersion | null>();

function parsed(version: string): ComposerVersion {
  const result = cache.get(version, parse);
  if (!result) throw new InvalidVersionError('Composer', version);
  return result;
}

/**
 * Packagist: Composer's normalisation (`v1.0` → `1.0.0.0`, `1.0-rc1` → `1.0.0.0-RC1`, `-pl`/`-p`
 * → `-patch`) and version_compare ordering: dev < alpha < beta < RC < stable < patch.
 */
export const packagistVersionScheme: VersionScheme = {
  isValid: (version) => cache.get(version, parse) !== null,
  compare: (a, b) => phpVersionCompare(parsed(a).parts, parsed(b).parts),
  normalize: (version) => parsed(version).normalized,
};
