import type { ManifestDiagnostic } from './manifest.types';

/**
 * Codes that mean some of the file was not read whatever severity the parser gave them: parsers
 * report a broken line or entry they skipped as a warning (the rest of the file is still good),
 * but a skipped line may be the one that declares a vulnerable dependency.
 */
const UNREAD_CODES: ReadonlySet<string> = new Set([
  'INVALID_SYNTAX',
  'MERGE_CONFLICT',
  'LINE_TOO_LONG',
  'NOT_TEXT',
  'EMPTY_FILE',
  'PARSER_FAILED',
  'UNSUPPORTED_FILE',
  'INCLUDE_NOT_FOUND',
  'INCLUDE_CYCLE',
  'INCLUDE_OUTSIDE_ROOT',
]);

/**
 * The one rule for "could not be read": an error, or a code in UNREAD_CODES. What only notes
 * something benign (UNPINNED, DUPLICATE, a local path or git source it cannot match
 * (UNRESOLVABLE), a lock format newer than known but read anyway) leaves the manifest complete.
 */
export function isUnreadDiagnostic(diagnostic: Pick<ManifestDiagnostic, 'severity' | 'code'>): boolean {
  return diagnostic.severity === 'error' || UNREAD_CODES.has(diagnostic.code);
}
