import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import { normalizePackageName } from '../ecosystem/package-name';
import { versionScheme } from '../ecosystem/versions/version-schemes';
import { packagesNamed } from './advisory-index';
import type { OsvRecord } from './osv-record';
import {
  ADVISORY_DIAGNOSTIC_RULES,
  schemedRanges,
  type AdvisoryDiagnosticRule,
  type RangeEventProblem,
} from './range-events';

/** An event of an advisory that could not be read as written, where it is and what was done. */
export interface AdvisoryDiagnostic extends RangeEventProblem {
  readonly advisoryId: string;
  readonly ecosystem: Ecosystem;
  readonly package: string;
  readonly rangeType: string;
}

/** Every problem matching works around in this record, in record order. */
export function advisoryDiagnostics(record: OsvRecord): AdvisoryDiagnostic[] {
  const found: AdvisoryDiagnostic[] = [];
  for (const { affected, ecosystem, name } of packagesNamed(record)) {
    for (const range of schemedRanges(affected, versionScheme(ecosystem))) {
      for (const problem of range.read.problems) {
        found.push({ advisoryId: record.id, ecosystem, package: name, rangeType: range.type, ...problem });
      }
    }
  }
  return found;
}

/** The record's problems in the entries about one package: what a finding on it should show. */
export function advisoryDiagnosticsFor(
  record: OsvRecord,
  ecosystem: Ecosystem,
  packageName: string,
): AdvisoryDiagnostic[] {
  const name = normalizePackageName(ecosystem, packageName);
  return advisoryDiagnostics(record).filter(
    (d) => d.ecosystem === ecosystem && normalizePackageName(ecosystem, d.package) === name,
  );
}

/** What an import reports: counts per rule and the first few diagnostics in full. */
export interface AdvisoryDiagnosticsSummary {
  readonly total: number;
  /** Advisories with at least one diagnostic. */
  readonly advisories: number;
  readonly byRule: Readonly<Partial<Record<AdvisoryDiagnosticRule, number>>>;
  readonly sample: readonly AdvisoryDiagnostic[];
}

/** Enough to act on and small enough for a workflow's history, whatever the export holds. */
export const DIAGNOSTIC_SAMPLE_SIZE = 20;

export function summarizeAdvisoryDiagnostics(records: Iterable<OsvRecord>): AdvisoryDiagnosticsSummary {
  const byRule = new Map<AdvisoryDiagnosticRule, number>();
  const sample: AdvisoryDiagnostic[] = [];
  let total = 0;
  let advisories = 0;
  for (const record of records) {
    const diagnostics = advisoryDiagnostics(record);
    if (diagnostics.length === 0) continue;
    advisories++;
    total += diagnostics.length;
    for (const d of diagnostics) {
      byRule.set(d.rule, (byRule.get(d.rule) ?? 0) + 1);
      if (sample.length < DIAGNOSTIC_SAMPLE_SIZE) sample.push(d);
    }
  }
  return {
    total,
    advisories,
    byRule: Object.fromEntries(
      ADVISORY_DIAGNOSTIC_RULES.filter((r) => byRule.has(r)).map((r) => [r, byRule.get(r)!]),
    ),
    sample,
  };
}
