import { isObject } from '../../../shared/is-object';
import { jsonNestingPastLimit } from '../../../shared/json-nesting';
import { findJsonSyntaxError } from '../../../shared/json-syntax-error';
import type { ManifestDiagnostic } from '../../manifest.types';
import { normalizeText } from '../../manifest-text';
import { MAX_SBOM_JSON_NESTING, refused } from './sbom-document';

/** A JSON string literal's content (without its quotes) decoded and trimmed; undefined when it is not one. */
export function jsonString(raw: string): string | undefined {
  try {
    return (JSON.parse(`"${raw}"`) as string).trim();
  } catch {
    return undefined;
  }
}

/** JSON text parsed, or why not (nested past MAX_SBOM_JSON_NESTING, not JSON, not an object). */
export function readJsonObject(
  path: string,
  text: string,
): { readonly object: Record<string, unknown> } | { readonly refused: ManifestDiagnostic } {
  const normalized = normalizeText(text);
  const deep = jsonNestingPastLimit(normalized, MAX_SBOM_JSON_NESTING);
  if (deep !== undefined)
    return refused(
      `${path} nests deeper than ${MAX_SBOM_JSON_NESTING} levels (line ${deep}); it was not read`,
      deep,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(normalized);
  } catch {
    const line = findJsonSyntaxError(normalized)?.line;
    return refused(`${path} is not valid JSON (truncated?)`, line);
  }
  if (!isObject(parsed)) return refused(`${path} is not a JSON object`);
  return { object: parsed };
}
