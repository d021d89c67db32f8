import { VERSION_PATTERN } from '@renovatebot/pep440/lib/version';
import type { VersionScheme } from '../version-scheme';
import { BoundedCache } from './bounded-cache';
import { InvalidVersionError } from './invalid-version.error';
import { compareDigitStrings, compareStrings, stripLeadingZeros } from './numeric-string';

/*
 * The grammar is @renovatebot/pep440's (the regex from PEP 440 Appendix B); the ordering is
 * `packaging`'s sort key, rebuilt here on digit strings because the library's compare re-parses
 * both sides on every call, holds release numbers as JS numbers (imprecise past 2^53) and reads
 * local segments such as `0x1` or `1e3` as numbers.
 */
const VERSION_RE = new RegExp(`^\\s*${VERSION_PATTERN}\\s*$`, 'i');

type PreLabel = 'a' | 'b' | 'rc';
const PRE_LABELS: Record<string, PreLabel> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};
const PRE_RANK: Record<PreLabel, number> = { a: 0, b: 1, rc: 2 };

interface LocalSegment {
  readonly numeric: boolean;
  /** Digits without leading zeros, or the lowercased letters. */
  readonly value: string;
}

interface Pep440Version {
  readonly epoch: string;
  readonly release: readonly string[];
  /** `release` without trailing zeros: `1.0` and `1.0.0` order equal. */
  readonly releaseKey: readonly string[];
  readonly pre: { readonly label: PreLabel; readonly number: string } | null;
  readonly post: string | null;
  readonly dev: string | null;
  readonly local: readonly LocalSegment[] | null;
}

function digits(value: string | undefined, fallback = '0'): string {
  return value === undefined || value === '' ? fallback : stripLeadingZeros(value);
}

function parse(version: string): Pep440Version | null {
  const groups = VERSION_RE.exec(version)?.groups;
  if (!groups?.release) return null;
  const release = groups.release.split('.').map((part) => stripLeadingZeros(part));
  let end = release.length;
  while (end > 0 && release[end - 1] === '0') end--;
  const preLabel = groups.pre_l ? PRE_LABELS[groups.pre_l.toLowerCase()] : undefined;
  // `1.0-1` is the implicit post-release spelling; `1.0.post` means post 0.
  const hasPost = groups.post_n1 !== undefined || groups.post_l !== undefined;
  return {
    epoch: digits(groups.epoch),
    release,
    releaseKey: release.slice(0, end),
    pre: preLabel ? { label: preLabel, number: digits(groups.pre_n) } : null,
    post: hasPost ? digits(groups.post_n1 ?? groups.post_n2) : null,
    dev: groups.dev_l !== undefined ? digits(groups.dev_n) : null,
    local: groups.local
      ? groups.local
          .split(/[-_.]/)
          .map((part) =>
            /^\d+$/.test(part)
              ? { numeric: true, value: stripLeadingZeros(part) }
              : { numeric: false, value: part.toLowerCase() },
          )
      : null,
  };
}

function compareRelease(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const result = compareDigitStrings(a[i], b[i]);
    if (result !== 0) return result;
  }
  return Math.sign(a.length - b.length);
}

/** packaging's pre slot: a bare dev release sorts below every pre-release, a final above them. */
function preSlot(v: Pep440Version): number {
  if (v.pre) return 1;
  return v.post === null && v.dev !== null ? 0 : 2;
}

function compareLocal(a: readonly LocalSegment[] | null, b: readonly LocalSegment[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    // Alphanumeric segments sort before numeric ones.
    if (x.numeric !== y.numeric) return x.numeric ? 1 : -1;
    const result = x.numeric ? compareDigitStrings(x.value, y.value) : compareStrings(x.value, y.value);
    if (result !== 0) return result;
  }
  return Math.sign(a.length - b.length);
}

function compareParsed(a: Pep440Version, b: Pep440Version): number {
  let result = compareDigitStrings(a.epoch, b.epoch) || compareRelease(a.releaseKey, b.releaseKey);
  if (result !== 0) return result;

  result = preSlot(a) - preSlot(b);
  if (result !== 0) return Math.sign(result);
  if (a.pre && b.pre) {
    result = PRE_RANK[a.pre.label] - PRE_RANK[b.pre.label] || compareDigitStrings(a.pre.number, b.pre.number);
    if (result !== 0) return Math.sign(result);
  }

  // No post-release sorts before any; no dev release sorts after any.
  if (a.post === null || b.post === null) {
    if (a.post !== b.post) return a.post === null ? -1 : 1;
  } else {
    result = compareDigitStrings(a.post, b.post);
    if (result !== 0) return result;
  }
  if (a.dev === null || b.dev === null) {
    if (a.dev !== b.dev) return a.dev === null ? 1 : -1;
  } else {
    result = compareDigitStrings(a.dev, b.dev);
    if (result !== 0) return result;
  }
  return compareLocal(a.local, b.local);
}

function stringify(v: Pep440Version): string {
  let out = v.epoch === '0' ? '' : `${v.epoch}!`;
  out += v.release.join('.');
  if (v.pre) out += `${v.pre.label}${v.pre.number}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local.map((segment) => segment.value).join('.')}`;
  return out;
}

const cache = new BoundedCache<Pep440Version | null>();

function parsed(version: string): Pep440Version {
  const result = cache.get(version, parse);
  if (!result) throw new InvalidVersionError('PEP 440', version);
  return result;
}

/** PyPI: PEP 440 (`1.0 == 1.0.0`, `1!2.0`, dev < pre < final < post, local after its public version). */
export const pep440VersionScheme: VersionScheme = {
  isValid: (version) => cache.get(version, parse) !== null,
  compare: (a, b) => compareParsed(parsed(a), parsed(b)),
  normalize: (version) => stringify(parsed(version)),
};
