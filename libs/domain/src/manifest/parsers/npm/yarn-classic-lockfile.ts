import { lineTooLong, MAX_LINE_LENGTH } from '../../line-limits';
import type { ManifestDiagnostic } from '../../manifest.types';
import { COMMA, HASH, SPACE } from './yaml-block-scalars';

/** One block of a yarn v1 lock file: the descriptors it resolves and its own scalar fields. */
export interface YarnClassicEntry {
  /** `lodash@^4.17.15`, unquoted, in file order. */
  readonly descriptors: string[];
  readonly line: number;
  /** `version`, `resolved`, `integrity`... (nested blocks such as `dependencies` are not kept). */
  readonly fields: ReadonlyMap<string, string>;
}

export interface YarnClassicLockfile {
  readonly entries: YarnClassicEntry[];
  readonly diagnostics: ManifestDiagnostic[];
}

const CONFLICT_MARKER = /^(?:<{7}|={7}|>{7})/;
const FIELD = /^("(?:[^"\\]|\\.)*"|[^\s"]+)\s+(\S.*)$/;

export function unquote(token: string): string {
  if (token.length < 2 || !token.startsWith('"') || !token.endsWith('"')) return token;
  try {
    const value: unknown = JSON.parse(token);
    return typeof value === 'string' ? value : token.slice(1, -1);
  } catch {
    return token.slice(1, -1);
  }
}

const QUOTE = 0x22;
const COLON = 0x3a;
const BACKSLASH = 0x5c;

/** `"a@^1", a@^1.1` → [`a@^1`, `a@^1.1`]; commas inside quotes stay. */
export function splitDescriptors(header: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  // Indices and slices, not a string grown a character at a time: a header of 60,000 commas
  // was most of a 4 MB parse.
  for (let i = 0; i < header.length; i++) {
    const code = header.charCodeAt(i);
    if (quoted && code === BACKSLASH) i++;
    else if (code === QUOTE) quoted = !quoted;
    else if (code === COMMA && !quoted) {
      addDescriptor(parts, header, start, i);
      start = i + 1;
    }
  }
  addDescriptor(parts, header, start, header.length);
  return parts;
}

function addDescriptor(parts: string[], header: string, start: number, end: number): void {
  if (start >= end) return;
  const part = unquote(header.slice(start, end).trim());
  if (part !== '') parts.push(part);
}

/** Printable ASCII other than the space: what neither `trim` nor `\s` touches. */
const isVisible = (code: number) => code > SPACE && code < 0x7f;

/**
 * The indent of a line of ASCII spaces, then text that starts and ends with a visible ASCII
 * character; -1 for any other line (tabs, odd whitespace, blank), which takes the general path.
 */
function plainIndent(raw: string): number {
  let i = 0;
  while (raw.charCodeAt(i) === SPACE) i++;
  if (i === raw.length || !isVisible(raw.charCodeAt(i)) || !isVisible(raw.charCodeAt(raw.length - 1)))
    return -1;
  return i;
}

/**
 * Reads a plain line `key value` or `key "value"` (after `plainIndent`) into `fields` as the
 * general path would, without trim, regex or JSON.parse: a bare key, spaces, then a bare value or
 * a quoted one free of backslashes, all printable ASCII. False, with `fields` untouched,
 * for anything else.
 */
function readPlainField(raw: string, indent: number, fields: Map<string, string>): boolean {
  const length = raw.length;
  let i = indent;
  for (; i < length; i++) {
    const code = raw.charCodeAt(i);
    if (code === SPACE) break;
    if (code === QUOTE || !isVisible(code)) return false;
  }
  const keyEnd = i;
  while (raw.charCodeAt(i) === SPACE) i++;
  if (keyEnd === indent || i === keyEnd || i === length) return false;
  const quoted = raw.charCodeAt(i) === QUOTE;
  const valueStart = i;
  for (i = quoted ? i + 1 : i; i < length; i++) {
    const code = raw.charCodeAt(i);
    if (code === SPACE) continue;
    if (!isVisible(code)) return false;
    // Without a backslash, JSON.parse gives the text between the quotes or fails, and unquote's
    // fallback is that same text.
    if (quoted && code === BACKSLASH) return false;
  }
  if (quoted && (length - valueStart < 2 || raw.charCodeAt(length - 1) !== QUOTE)) return false;
  fields.set(
    raw.slice(indent, keyEnd),
    quoted ? raw.slice(valueStart + 1, length - 1) : raw.slice(valueStart),
  );
  return true;
}

/**
 * Reads the yarn v1 lock file format: top-level `descriptor, descriptor:` blocks of indented
 * `key value` lines. Written here rather than taken from `@yarnpkg/lockfile`, whose bundle
 * requires Node built-ins (fs, crypto, os) that the domain and the workflow bundle must not load.
 * Only what a scan needs is kept; nested blocks (`dependencies:`) are skipped. Plain indented
 * lines, nearly all of a real file, are read by `readPlainField` without allocating; `plainLines`
 * false reads every line the general way (tests compare both).
 */
export function parseYarnClassicLockfile(source: string, plainLines = true): YarnClassicLockfile {
  const entries: YarnClassicEntry[] = [];
  const diagnostics: ManifestDiagnostic[] = [];
  let current: { descriptors: string[]; line: number; fields: Map<string, string> } | null = null;
  let conflictReported = false;
  // After an entry header too long to read, its indented lines belong to no entry we know.
  let skippingEntry = false;

  const lines = source.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] as string;
    const line = index + 1;
    if (raw.length > MAX_LINE_LENGTH) {
      diagnostics.push(lineTooLong(line, raw.length));
      if (!/^\s/.test(raw)) {
        current = null;
        skippingEntry = true;
      }
      continue;
    }
    const plain = plainLines ? plainIndent(raw) : -1;
    // An indented plain line: a comment, a nested line, or a field of the current entry. It reads
    // below as here; only the unusual ones go on to the general path, which also words the errors.
    if (plain > 0) {
      if (raw.charCodeAt(plain) === HASH || plain > 3 || skippingEntry) continue;
      if (current) {
        if (raw.charCodeAt(raw.length - 1) === COLON) continue;
        if (readPlainField(raw, plain, current.fields)) continue;
      }
    }
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) continue;
    if (CONFLICT_MARKER.test(raw)) {
      if (!conflictReported) {
        diagnostics.push({
          severity: 'error',
          code: 'MERGE_CONFLICT',
          message: 'yarn.lock contains git merge conflict markers; entries from both sides were read',
          line,
        });
        conflictReported = true;
      }
      continue;
    }
    const indent = raw.length - raw.trimStart().length;

    if (indent === 0) {
      current = null;
      skippingEntry = false;
      if (!text.endsWith(':')) {
        diagnostics.push({
          severity: 'warning',
          code: 'INVALID_SYNTAX',
          message: `expected "descriptor:" to start an entry, found "${text}"; the line was skipped`,
          line,
        });
        continue;
      }
      const descriptors = splitDescriptors(text.slice(0, -1));
      if (descriptors.length === 0) {
        diagnostics.push({
          severity: 'warning',
          code: 'INVALID_SYNTAX',
          message: 'an entry has no name',
          line,
        });
        continue;
      }
      current = { descriptors, line, fields: new Map() };
      entries.push(current);
      continue;
    }

    // Deeper lines belong to nested blocks such as `dependencies:`; their entry was checked already.
    if (indent > 3 || skippingEntry) continue;
    if (!current) {
      diagnostics.push({
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: `indented line outside an entry: "${text}"; it was skipped`,
        line,
      });
      continue;
    }
    if (text.endsWith(':')) continue; // a nested block opens
    const field = FIELD.exec(text);
    if (!field) {
      diagnostics.push({
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: `expected "key value", found "${text}"; the line was skipped`,
        line,
      });
      continue;
    }
    current.fields.set(unquote(field[1] as string), unquote((field[2] as string).trim()));
  }
  return { entries, diagnostics };
}
