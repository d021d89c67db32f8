import type { AdvisoryDiagnosticsSummary } from './advisory-diagnostics';

/** What one import of an advisory export did to the mirror. */
export interface AdvisoryImportReport {
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Of the unchanged, entries left unread: the export declares them the same bytes as before. */
  readonly unread?: number;
  readonly withdrawn: number;
  /** Entries that were not usable OSV records (bad JSON, no id, `modified` not a date). */
  readonly skipped: number;
  /** The stamp of what it wrote, for finding what changed; null when it wrote nothing. */
  readonly writtenAt: string | null;
  /** Range events the matcher could not read as written, by rule, with the first few in full. */
  readonly diagnostics: AdvisoryDiagnosticsSummary;
}
