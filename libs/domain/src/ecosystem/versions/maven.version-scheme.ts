import type { VersionScheme } from '../version-scheme';
import { BoundedCache } from './bounded-cache';
import { InvalidVersionError } from './invalid-version.error';
import { compareDigitStrings, compareStrings, stripLeadingZeros } from './numeric-string';

/*
 * A port of Maven 3.9's org.apache.maven.artifact.versioning.ComparableVersion (the POM reference's
 * "version order specification"). A version is a list of items: numbers, qualifiers and sub-lists
 * opened by `-` or by a digit/letter transition. Java's Int/Long/BigInteger items are one numeric
 * item here: digit strings without leading zeros order the same way. Two deliberate differences,
 * both as Maven 4 has them: only ASCII digits are digits, and a run of ten or more zeros is 0
 * (3.9 kept it as a non-zero-length Long that outranked every small number).
 */

interface NumberItem {
  readonly kind: 'number';
  readonly digits: string;
}
interface QualifierItem {
  readonly kind: 'qualifier';
  /** After aliasing: `ga`/`final`/`release` → ``, `cr` → `rc`, `a1` → `alpha`. */
  readonly value: string;
}
interface ListItem {
  readonly kind: 'list';
  readonly items: Item[];
}
type Item = NumberItem | QualifierItem | ListItem;

const ZERO: NumberItem = { kind: 'number', digits: '0' };
const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_VERSION_INDEX = String(QUALIFIERS.indexOf(''));
const SINGLE_LETTER_QUALIFIERS: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' };

/**
 * Maven 4 refuses longer strings; we do too, because each `-` nests a list and comparison recurses
 * once per level.
 */
const MAX_VERSION_LENGTH = 256;

function qualifier(value: string, followedByDigit: boolean): QualifierItem {
  const expanded = followedByDigit ? (SINGLE_LETTER_QUALIFIERS[value] ?? value) : value;
  return { kind: 'qualifier', value: ALIASES[expanded] ?? expanded };
}

/** Known qualifiers by rank, then unknown ones lexically after all of them (`7-xyz`). */
function comparableQualifier(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index === -1 ? `${QUALIFIERS.length}-${value}` : String(index);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'number':
      return item.digits === '0';
    case 'qualifier':
      return item.value === '';
    case 'list':
      return item.items.length === 0;
  }
}

/** Drops trailing null items (0, ``, empty lists), looking through non-null sub-lists. */
function normalizeList(list: ListItem): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const last = list.items[i];
    if (isNull(last)) list.items.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

/** Sign of item - other; `null` stands for "nothing there" (the shorter version's padding). */
function compareItem(item: Item, other: Item | null): number {
  switch (item.kind) {
    case 'number':
      if (other === null) return item.digits === '0' ? 0 : 1; // 1.0 == 1, 1.1 > 1
      // 1.1 > 1-sp, 1.1 > 1-1
      return other.kind === 'number' ? compareDigitStrings(item.digits, other.digits) : 1;
    case 'qualifier':
      // 1-rc < 1, 1-sp > 1
      if (other === null) return compareStrings(comparableQualifier(item.value), RELEASE_VERSION_INDEX);
      if (other.kind === 'qualifier') {
        return compareStrings(comparableQualifier(item.value), comparableQualifier(other.value));
      }
      return -1; // 1.any < 1.1, 1.any < 1-1
    case 'list':
      if (other === null) {
        // Every item counts, not just the first (MNG-6964).
        for (const child of item.items) {
          const result = compareItem(child, null);
          if (result !== 0) return result;
        }
        return 0;
      }
      if (other.kind === 'number') return -1; // 1-1 < 1.0.x
      if (other.kind === 'qualifier') return 1; // 1-1 > 1-sp
      return compareLists(item.items, other.items);
  }
}

function compareLists(left: readonly Item[], right: readonly Item[]): number {
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const l = i < left.length ? left[i] : null;
    const r = i < right.length ? right[i] : null;
    const result = l === null ? (r === null ? 0 : -compareItem(r, null)) : compareItem(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

function parseItem(isDigit: boolean, text: string): Item {
  return isDigit ? { kind: 'number', digits: stripLeadingZeros(text) } : qualifier(text, false);
}

const isAsciiDigit = (code: number): boolean => code >= 48 && code <= 57;

function parse(version: string): ListItem | null {
  if (version.length > MAX_VERSION_LENGTH) return null;
  const text = version.toLowerCase();
  const root: ListItem = { kind: 'list', items: [] };
  const stack: ListItem[] = [root];
  let list = root;
  const openList = (): void => {
    const child: ListItem = { kind: 'list', items: [] };
    list.items.push(child);
    list = child;
    stack.push(child);
  };

  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '.' || c === '-') {
      list.items.push(i === start ? ZERO : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === '-') openList();
    } else if (isAsciiDigit(text.charCodeAt(i))) {
      if (!isDigit && i > start) {
        // 1.0.0.X1 < 1.0.0-X2: a qualifier directly followed by digits starts its own list.
        if (list.items.length > 0) openList();
        list.items.push(qualifier(text.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, text.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    // Treat a trailing `.X` as `-X` for any qualifier X.
    if (!isDigit && list.items.length > 0) openList();
    list.items.push(parseItem(isDigit, text.slice(start)));
  }
  // Innermost first, so an emptied sub-list is itself dropped by its parent.
  for (let i = stack.length - 1; i >= 0; i--) normalizeList(stack[i]);
  return root;
}

/** ComparableVersion#getCanonical: `1.0.0` → `1`, `1-SNAPSHOT` → `1-snapshot`, `1.0-ga` → `1`. */
function canonical(list: ListItem): string {
  let out = '';
  for (const item of list.items) {
    // Java checks the buffer, not the index: an empty first qualifier gets no separator after it.
    if (out.length > 0) out += item.kind === 'list' ? '-' : '.';
    out += item.kind === 'number' ? item.digits : item.kind === 'qualifier' ? item.value : canonical(item);
  }
  return out;
}

const cache = new BoundedCache<ListItem | null>();

function parsed(version: string): ListItem {
  const result = cache.get(version, parse);
  if (!result) throw new InvalidVersionError('Maven', version);
  return result;
}

/**
 * Maven: every string is a version (only absurdly long ones are refused). Ordering is
 * `alpha < beta < milestone < rc == cr < snapshot < "" == ga == final == release < sp`, unknown
 * qualifiers after those (lexically), numbers after all qualifiers; `1 == 1.0 == 1-0`; case-blind.
 */
export const mavenVersionScheme: VersionScheme = {
  isValid: (version) => cache.get(version, parse) !== null,
  compare: (a, b) => compareLists(parsed(a).items, parsed(b).items),
  normalize: (version) => canonical(parsed(version)),
};
