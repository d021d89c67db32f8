import type { AdvisoryDiagnosticsSummary } from '../advisory/advisory-diagnostics';
import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import type { Severity } from '../severity/severity.value-object';

/** A finding a snapshot says the repo has: one vulnerability in one dependency of one manifest. */
export interface DesiredFinding {
  readonly ecosystem: Ecosystem;
  readonly packageName: string;
  readonly version: string;
  readonly manifestPath: string;
  readonly vulnerabilityId: string;
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly cvssScore: number | null;
  readonly fixedVersions: readonly string[];
  /** Events of its advisories (for this package) not readable as written: counts and a bounded sample; none when absent. */
  readonly advisoryDiagnostics?: AdvisoryDiagnosticsSummary;
  /** The advisory's one-line summary (bounded); null: the record has none; absent: the stored one stands. */
  readonly summary?: string | null;
}
