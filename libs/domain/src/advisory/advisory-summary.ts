import type { OsvRecord } from './osv-record';

/** Longest summary a finding keeps: a hostile record cannot bloat every finding row or message. */
export const MAX_ADVISORY_SUMMARY_LENGTH = 500;

/**
 * The one-line summary of an alias group's records, as a finding keeps it: the first record (the
 * finding's own first) with a non-blank one, whitespace collapsed, cut at
 * MAX_ADVISORY_SUMMARY_LENGTH characters; null when none has one.
 */
export function advisorySummary(records: readonly (OsvRecord | undefined)[]): string | null {
  for (const record of records) {
    const summary: unknown = record?.summary;
    if (typeof summary !== 'string') continue;
    const line = summary.replace(/\s+/g, ' ').trim();
    if (line.length === 0) continue;
    return line.length > MAX_ADVISORY_SUMMARY_LENGTH
      ? `${line.slice(0, MAX_ADVISORY_SUMMARY_LENGTH - 1)}…`
      : line;
  }
  return null;
}
