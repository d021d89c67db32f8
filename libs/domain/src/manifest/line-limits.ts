import type { ManifestDiagnostic } from './manifest.types';
import { splitLines } from './manifest-text';

/**
 * The longest line a line-oriented parser reads: 65,536 characters. Tools write manifest lines of
 * a few hundred characters at most (a requirement with its hashes, a lock entry); a longer line is
 * crafted or corrupt, and skipping it keeps every per-line step bounded whatever the file holds.
 */
export const MAX_LINE_LENGTH = 64 * 1024;

/** The diagnostic for a line that was not parsed because it is longer than `limit`. */
export function lineTooLong(line: number, length: number, limit = MAX_LINE_LENGTH): ManifestDiagnostic {
  return {
    severity: 'warning',
    code: 'LINE_TOO_LONG',
    message: `line ${line} is ${length} characters long, over the limit of ${limit}; it was skipped`,
    line,
  };
}

export interface BoundedLines {
  /** The normalised lines, numbered `index + 1`; a line over the limit is replaced by ''. */
  readonly lines: string[];
  /** One LINE_TOO_LONG per replaced line, in file order. */
  readonly diagnostics: ManifestDiagnostic[];
}

/**
 * `splitLines` for parsers that read line by line: lines over the limit come back empty (so the
 * numbering of the others is kept) with a diagnostic naming each.
 */
export function splitBoundedLines(text: string, limit = MAX_LINE_LENGTH): BoundedLines {
  const lines = splitLines(text);
  const diagnostics: ManifestDiagnostic[] = [];
  lines.forEach((content, index) => {
    if (content.length <= limit) return;
    diagnostics.push(lineTooLong(index + 1, content.length, limit));
    lines[index] = '';
  });
  return { lines, diagnostics };
}
