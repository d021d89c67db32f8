import { TomlError } from 'smol-toml';
import type { ManifestDiagnostic } from '../../manifest.types';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';
import { parseTomlLock } from '../toml/toml-lock-document';
import type { TomlTable } from '../toml/toml-lock-reader';

export type { TomlTable } from '../toml/toml-lock-reader';

// Lock files nest inline arrays and tables two or three deep; the library's own limit (1000) lets
// crafted nesting cost far more per byte than any real lock.
export const MAX_TOML_NESTING = 32;

export type TomlParseResult =
  | {
      readonly ok: true;
      readonly table: TomlTable;
      /** 1-based lines of the `[[package]]` headers, in file order. */
      readonly packageLines: readonly number[];
    }
  | { readonly ok: false; readonly diagnostic: ManifestDiagnostic };

/** Parses a TOML lock file; a syntax error becomes one INVALID_SYNTAX diagnostic with its line. */
export function parseTomlDocument(path: string, text: string): TomlParseResult {
  if (looksBinary(text)) return { ok: false, diagnostic: binaryDiagnostic(path) };
  try {
    return { ok: true, ...parseTomlLock(normalizeText(text), { maxDepth: MAX_TOML_NESTING }) };
  } catch (error) {
    const firstLine = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: `${path} is not valid TOML: ${firstLine}`,
        ...(error instanceof TomlError ? { line: error.line } : {}),
      },
    };
  }
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** 1-based line of the first line matching `pattern`, if any. */
export function firstLineMatching(text: string, pattern: RegExp): number | undefined {
  const index = normalizeText(text)
    .split('\n')
    .findIndex((line) => pattern.test(line));
  return index < 0 ? undefined : index + 1;
}
