import { jsonNestingPastLimit, MAX_JSON_NESTING } from '../shared/json-nesting';
import type { ManifestParseResult } from './manifest.types';

/**
 * Shared text handling for parsers: a BOM, CRLF or lone CR line endings and NUL bytes must not
 * change what a parser sees.
 */
export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Lines of the normalised text, 1-based numbering is `index + 1`. */
export function splitLines(text: string): string[] {
  return normalizeText(text).split('\n');
}

/** True when the text is clearly not a text manifest (NUL bytes or mostly control characters). */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 4096);
  if (sample.length === 0) return false;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if ((code < 9 || (code > 13 && code < 32)) && code !== 27) control++;
  }
  return control / sample.length > 0.1;
}

/** Builds the diagnostic every parser returns for unreadable input. */
export function binaryDiagnostic(path: string) {
  return {
    severity: 'error' as const,
    code: 'NOT_TEXT',
    message: `${path} is not a text file (binary content); it was skipped`,
  };
}

/**
 * The answer for a JSON lock nested past MAX_JSON_NESTING (JSON.parse slows down more than
 * linearly on arrays nested millions deep; a lock nests a few), or undefined when it is not.
 */
export function refuseDeepJson(path: string, text: string): ManifestParseResult | undefined {
  const tooDeep = jsonNestingPastLimit(text);
  if (tooDeep === undefined) return undefined;
  return {
    dependencies: [],
    diagnostics: [
      {
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: `${path} nests deeper than ${MAX_JSON_NESTING} levels (line ${tooDeep}); it was not read`,
        line: tooDeep,
      },
    ],
  };
}
