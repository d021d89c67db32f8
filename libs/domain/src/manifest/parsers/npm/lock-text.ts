import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';
import type { ManifestParseResult } from '../../manifest.types';

export type LockText =
  | { readonly ok: true; readonly source: string }
  | { readonly ok: false; readonly result: ManifestParseResult };

/**
 * The normalised text of an npm lock file, or what to return at once: binary content is refused
 * and an empty (or blank) file is reported, the same way for package-lock, pnpm-lock and yarn.lock.
 */
export function readLockText(path: string, text: string): LockText {
  if (looksBinary(text)) {
    return { ok: false, result: { dependencies: [], diagnostics: [binaryDiagnostic(path)] } };
  }
  const source = normalizeText(text);
  if (source.trim() === '') {
    return {
      ok: false,
      result: {
        dependencies: [],
        diagnostics: [
          { severity: 'warning', code: 'MISSING_FIELD', message: `${path} is empty; nothing was read` },
        ],
      },
    };
  }
  return { ok: true, source };
}

/**
 * A lock field's value as a message shows it: a string as it is, anything else as JSON. String()
 * would throw on a mapping with its own `toString` key, and a parser must report, not throw.
 */
export function shownValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
