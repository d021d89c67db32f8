/**
 * PEP 508 dependency specifiers (`name[extras] specifier ; marker` or `name[extras] @ url ; marker`),
 * checked as strictly as `packaging` checks them so a line pip would reject is reported, not guessed.
 */

export interface VersionClause {
  readonly operator: string;
  readonly version: string;
}

export type Pep508Requirement =
  | {
      readonly kind: 'specifier';
      readonly name: string;
      readonly extras: readonly string[];
      readonly clauses: readonly VersionClause[];
      readonly marker?: string;
    }
  | {
      readonly kind: 'url';
      readonly name: string;
      readonly extras: readonly string[];
      readonly url: string;
      readonly marker?: string;
    };

export type Pep508ParseResult =
  | { readonly ok: true; readonly requirement: Pep508Requirement }
  | { readonly ok: false; readonly error: string };

const NO_EXTRAS: readonly string[] = Object.freeze([]);
const IDENTIFIER = /^[A-Z0-9](?:[\w.-]*[A-Z0-9])?$/i;

// The PEP 440 grammar as `packaging` writes it (case-insensitive, `v` prefix and separators allowed).
const RELEASE = String.raw`v?(?:\d+!)?\d+(?:\.\d+)*`;
const PRE = String.raw`(?:[-_.]?(?:alpha|beta|preview|pre|rc|[abc])[-_.]?\d*)?`;
const POST = String.raw`(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?`;
const DEV = String.raw`(?:[-_.]?dev[-_.]?\d*)?`;
const LOCAL = String.raw`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?`;
const SUFFIXES = PRE + POST + DEV;

const EQUALITY_VERSION = new RegExp(`^(?:${RELEASE}\\.\\*|${RELEASE}${SUFFIXES}${LOCAL})$`, 'i');
const COMPATIBLE_VERSION = new RegExp(`^v?(?:\\d+!)?\\d+(?:\\.\\d+)+${SUFFIXES}$`, 'i');
const ORDERED_VERSION = new RegExp(`^${RELEASE}${SUFFIXES}$`, 'i');
const ARBITRARY_VERSION = /^[^\s;,()]+$/;
const CLAUSE = /^(===|==|!=|~=|<=|>=|<|>)\s*([^\s=<>!~]\S*)$/;

/** True when `version` is a valid PEP 440 version (what may follow `==` without a wildcard). */
export function isPep440Version(version: string): boolean {
  return EQUALITY_VERSION.test(version) && !version.endsWith('.*');
}

export function parsePep508(input: string): Pep508ParseResult {
  const text = input.trim();
  const nameLength = leadingNameLength(text);
  if (nameLength === 0) return fail(`"${text}" does not start with a package name`);
  const name = text.slice(0, nameLength);
  let rest = text.slice(nameLength).trimStart();

  let extras: readonly string[] = NO_EXTRAS;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return fail(`unclosed "[" in the extras of ${name}`);
    const inner = rest.slice(1, close).trim();
    extras = inner === '' ? NO_EXTRAS : inner.split(',').map((e) => e.trim());
    const bad = extras.find((e) => !IDENTIFIER.test(e));
    if (bad !== undefined) return fail(`invalid extra "${bad}" for ${name}`);
    rest = rest.slice(close + 1).trimStart();
  }

  if (rest.startsWith('@')) {
    // PEP 508: a marker after a URL must be separated by whitespace, since `;` may occur in URLs.
    const afterAt = rest.slice(1).trim();
    const separator = markerSeparator(afterAt);
    const url = separator ? afterAt.slice(0, separator.start) : afterAt;
    const markerText = separator ? afterAt.slice(separator.end) : undefined;
    if (!/^[A-Z][A-Z0-9+.-]*:\S+$/i.test(url)) return fail(`invalid URL "${url}" for ${name}`);
    const marker = checkMarker(markerText);
    if (typeof marker === 'object') return marker;
    return { ok: true, requirement: { kind: 'url', name, extras, url, ...optionalMarker(marker) } };
  }

  let specText: string;
  if (rest.startsWith('(')) {
    const close = rest.indexOf(')');
    if (close < 0) return fail(`unclosed "(" in the version of ${name}`);
    specText = rest.slice(1, close);
    rest = rest.slice(close + 1).trimStart();
  } else {
    const semicolon = rest.indexOf(';');
    specText = semicolon < 0 ? rest : rest.slice(0, semicolon);
    rest = semicolon < 0 ? '' : rest.slice(semicolon);
  }
  let markerText: string | undefined;
  if (rest.startsWith(';')) markerText = rest.slice(1);
  else if (rest !== '') return fail(`unexpected "${rest}" after the version of ${name}`);

  const clauses: VersionClause[] = [];
  if (specText.trim() !== '') {
    // Most requirements have one clause: no array of pieces for them.
    for (let from = 0; from <= specText.length;) {
      let comma = specText.indexOf(',', from);
      if (comma === -1) comma = specText.length;
      const clause = parseClause(specText.slice(from, comma).trim());
      if (typeof clause === 'string') return fail(`${clause} for ${name}`);
      clauses.push(clause);
      from = comma + 1;
    }
  }
  const marker = checkMarker(markerText);
  if (typeof marker === 'object') return marker;
  // Literals rather than a spread marker: this runs once per line of a requirements file.
  return {
    ok: true,
    requirement:
      marker === undefined
        ? { kind: 'specifier', name, extras, clauses }
        : { kind: 'specifier', name, extras, clauses, marker },
  };
}

/**
 * The length of the name `^[A-Z0-9](?:[\w.-]*[A-Z0-9])?` (case-insensitive) matches at the start,
 * or 0. By hand: that expression runs once per line of a requirements file.
 */
function leadingNameLength(text: string): number {
  if (!isAsciiAlphanumeric(text.charCodeAt(0))) return 0;
  let length = 1;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isAsciiAlphanumeric(code)) length = i + 1;
    else if (code !== 0x5f && code !== 0x2e && code !== 0x2d) break; // not _ . -
  }
  return length;
}

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function parseClause(raw: string): VersionClause | string {
  const match = CLAUSE.exec(raw);
  if (!match) return `invalid version specifier "${raw}"`;
  // Indexes, not destructuring, which walks an iterator for each clause of each line.
  const operator = match[1] as string;
  const version = match[2] as string;
  const valid =
    operator === '==='
      ? ARBITRARY_VERSION.test(version)
      : operator === '==' || operator === '!='
        ? EQUALITY_VERSION.test(version)
        : operator === '~='
          ? COMPATIBLE_VERSION.test(version)
          : ORDERED_VERSION.test(version);
  return valid ? { operator, version } : `invalid version "${version}" after ${operator}`;
}

/**
 * The first `;` with whitespace before it, from the start of that whitespace. Found by hand: a
 * regular expression (`\s+;`) rescans every run of spaces from each of its characters.
 */
function markerSeparator(text: string): { start: number; end: number } | undefined {
  for (let semicolon = text.indexOf(';'); semicolon >= 0; semicolon = text.indexOf(';', semicolon + 1)) {
    let start = semicolon;
    while (start > 0 && isSpace(text[start - 1] as string)) start--;
    if (start < semicolon) return { start, end: semicolon + 1 };
  }
  return undefined;
}

function isSpace(char: string): boolean {
  return /\s/.test(char);
}

function optionalMarker(marker: string | undefined): { marker?: string } {
  return marker === undefined ? {} : { marker };
}

function fail(error: string): Pep508ParseResult {
  return { ok: false, error };
}

function checkMarker(markerText: string | undefined): string | undefined | Pep508ParseResult {
  if (markerText === undefined) return undefined;
  const marker = markerText.trim();
  const error = markerError(marker);
  return error === undefined ? marker : fail(`invalid environment marker "${marker}": ${error}`);
}

const MARKER_VARIABLES = new Set([
  'python_version',
  'python_full_version',
  'os_name',
  'sys_platform',
  'platform_release',
  'platform_system',
  'platform_version',
  'platform_machine',
  'platform_python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
  'dependency_groups',
  // Legacy spellings `packaging` still accepts.
  'os.name',
  'sys.platform',
  'platform.version',
  'platform.machine',
  'platform.python_implementation',
  'python_implementation',
]);

// Deeper parentheses than any real marker has; the check recurses once per level.
const MAX_MARKER_NESTING = 32;

const TRAILING_SPACE = /\s*$/y;
const MARKER_TOKEN = /\s*(?:(\(|\))|('[^']*'|"[^"]*")|(===|==|!=|<=|>=|~=|<|>)|([A-Z_][\w.]*))/iy;

type MarkerToken = { kind: 'paren' | 'string' | 'op' | 'word'; text: string };

/** Checks the marker grammar of PEP 508; returns why it is invalid, or undefined. */
function markerError(marker: string): string | undefined {
  if (marker === '') return 'empty marker';
  const tokens: MarkerToken[] = [];
  let position = 0;
  let open = 0;
  for (;;) {
    MARKER_TOKEN.lastIndex = position;
    const match = MARKER_TOKEN.exec(marker);
    if (!match) {
      TRAILING_SPACE.lastIndex = position;
      if (TRAILING_SPACE.test(marker)) break;
      return `unexpected "${marker.slice(position).trim()}"`;
    }
    position = MARKER_TOKEN.lastIndex;
    // Stop at once rather than tokenise thousands of parentheses the parser would refuse.
    if (match[1] === '(' && ++open > MAX_MARKER_NESTING)
      return `parentheses nest deeper than ${MAX_MARKER_NESTING}`;
    if (match[1] === ')') open = Math.max(0, open - 1);
    if (match[1]) tokens.push({ kind: 'paren', text: match[1] });
    else if (match[2]) tokens.push({ kind: 'string', text: match[2] });
    else if (match[3]) tokens.push({ kind: 'op', text: match[3] });
    else tokens.push({ kind: 'word', text: match[4] });
  }

  let index = 0;
  let nesting = 0;
  const peek = () => tokens[index];
  const value = (): string | undefined => {
    const token = tokens[index];
    if (token?.kind === 'string') {
      index++;
      return undefined;
    }
    if (token?.kind === 'word' && MARKER_VARIABLES.has(token.text)) {
      index++;
      return undefined;
    }
    return token ? `unknown marker value "${token.text}"` : 'marker ends early';
  };
  const expression = (): string | undefined => {
    const error = conjunction();
    if (error) return error;
    while (peek()?.kind === 'word' && peek().text === 'or') {
      index++;
      const next = conjunction();
      if (next) return next;
    }
    return undefined;
  };
  const conjunction = (): string | undefined => {
    const error = atom();
    if (error) return error;
    while (peek()?.kind === 'word' && peek().text === 'and') {
      index++;
      const next = atom();
      if (next) return next;
    }
    return undefined;
  };
  const atom = (): string | undefined => {
    if (peek()?.kind === 'paren' && peek().text === '(') {
      if (++nesting > MAX_MARKER_NESTING) return `parentheses nest deeper than ${MAX_MARKER_NESTING}`;
      index++;
      const error = expression();
      if (error) return error;
      if (peek()?.text !== ')') return 'missing ")"';
      index++;
      nesting--;
      return undefined;
    }
    const left = value();
    if (left) return left;
    const op = peek();
    if (op?.kind === 'op' || (op?.kind === 'word' && op.text === 'in')) index++;
    else if (op?.kind === 'word' && op.text === 'not' && tokens[index + 1]?.text === 'in') index += 2;
    else return op ? `expected a comparison, found "${op.text}"` : 'marker ends early';
    return value();
  };

  const error = expression();
  if (error) return error;
  return index < tokens.length ? `unexpected "${tokens[index].text}"` : undefined;
}
