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
          { severity: 'error', code: 'EMPTY_FILE', message: `${path} is empty; nothing was read` },
        ],
      },
    };
  }
  return { ok: true, source };
}

export { shownValue } from '../shown-value';
