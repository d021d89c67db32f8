import { lineTooLong, MAX_LINE_LENGTH } from '../../line-limits';
import type { ManifestDiagnostic } from '../../manifest.types';

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

function unquote(token: string): string {
  if (token.length < 2 || !token.startsWith('"') || !token.endsWith('"')) return token;
  try {
    const value: unknown = JSON.parse(token);
    return typeof value === 'string' ? value : token.slice(1, -1);
  } catch {
    return token.slice(1, -1);
  }
}

/** `"a@^1", a@^1.1` → [`a@^1`, `a@^1.1`]; commas inside quotes stay. */
function splitDescriptors(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i] as string;
    if (quoted && c === '\\') {
      current += c + (header[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts.map((part) => unquote(part.trim())).filter((part) => part !== '');
}

/**
 * Reads the yarn v1 lock file format: top-level `descriptor, descriptor:` blocks of indented
 * `key value` lines. Written here rather than taken from `@yarnpkg/lockfile`, whose bundle
 * requires Node built-ins (fs, crypto, os) that the domain and the workflow bundle must not load.
 * Only what a scan needs is kept; nested blocks (`dependencies:`) are skipped.
 */
export function parseYarnClassicLockfile(source: string): YarnClassicLockfile {
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
