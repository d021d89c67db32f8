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

/** The record's problems in the entries about one package, in full (tests and tools; findings keep a summary). */
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

/**
 * Counts per rule and the first few diagnostics: what an import report and a finding carry. An
 * advisory is outside data and may hold any number of unreadable events, so the size is bounded
 * whatever it holds: at most DIAGNOSTIC_SAMPLE_SIZE entries, each string cut at MAX_DIAGNOSTIC_TEXT.
 */
export interface AdvisoryDiagnosticsSummary {
  readonly total: number;
  /** Advisories with at least one diagnostic. */
  readonly advisories: number;
  readonly byRule: Readonly<Partial<Record<AdvisoryDiagnosticRule, number>>>;
  readonly sample: readonly AdvisoryDiagnostic[];
}

/** Enough to act on and small enough for a workflow's history or a finding row, whatever the export holds. */
export const DIAGNOSTIC_SAMPLE_SIZE = 20;
/** Longest string of a sampled diagnostic (ids and package names too), and most `readAs` entries kept. */
export const MAX_DIAGNOSTIC_TEXT = 200;
const MAX_READ_AS = 20;

export const NO_ADVISORY_DIAGNOSTICS: AdvisoryDiagnosticsSummary = Object.freeze({
  total: 0,
  advisories: 0,
  byRule: Object.freeze({}),
  sample: Object.freeze([]) as readonly AdvisoryDiagnostic[],
});

/** Accumulates diagnostics into a bounded summary; memory stays bounded however many are added. */
class SummaryBuilder {
  private readonly byRule = new Map<AdvisoryDiagnosticRule, number>();
  private readonly sample: AdvisoryDiagnostic[] = [];
  private total = 0;
  private advisories = 0;

  /** One advisory's diagnostics (or several advisories' summary). */
  add(summary: AdvisoryDiagnosticsSummary): void {
    if (summary.total === 0) return;
    this.total += summary.total;
    this.advisories += summary.advisories;
    for (const rule of ADVISORY_DIAGNOSTIC_RULES) {
      const count = summary.byRule[rule];
      if (count) this.byRule.set(rule, (this.byRule.get(rule) ?? 0) + count);
    }
    for (const d of summary.sample) {
      if (this.sample.length >= DIAGNOSTIC_SAMPLE_SIZE) break;
      this.sample.push(d);
    }
  }

  build(): AdvisoryDiagnosticsSummary {
    if (this.total === 0) return NO_ADVISORY_DIAGNOSTICS;
    return {
      total: this.total,
      advisories: this.advisories,
      byRule: Object.fromEntries(
        ADVISORY_DIAGNOSTIC_RULES.filter((r) => this.byRule.has(r)).map((r) => [r, this.byRule.get(r)!]),
      ),
      sample: [...this.sample],
    };
  }
}

/** One advisory's diagnostics, summarised: counted in full, only the first few kept (and clipped). */
function summarizeOne(diagnostics: readonly AdvisoryDiagnostic[]): AdvisoryDiagnosticsSummary {
  if (diagnostics.length === 0) return NO_ADVISORY_DIAGNOSTICS;
  const byRule: Partial<Record<AdvisoryDiagnosticRule, number>> = {};
  for (const d of diagnostics) byRule[d.rule] = (byRule[d.rule] ?? 0) + 1;
  return {
    total: diagnostics.length,
    advisories: 1,
    byRule,
    sample: diagnostics.slice(0, DIAGNOSTIC_SAMPLE_SIZE).map(clipped),
  };
}

/** Whatever an advisory wrote, a sampled diagnostic stays a few hundred bytes. */
function clipped(d: AdvisoryDiagnostic): AdvisoryDiagnostic {
  return {
    ...d,
    advisoryId: clip(d.advisoryId),
    package: clip(d.package),
    rangeType: clip(d.rangeType),
    value: clip(d.value),
    readAs: d.readAs.slice(0, MAX_READ_AS).map(clip),
  };
}

function clip(text: string): string {
  return text.length > MAX_DIAGNOSTIC_TEXT ? `${text.slice(0, MAX_DIAGNOSTIC_TEXT)}…` : text;
}

export function summarizeAdvisoryDiagnostics(records: Iterable<OsvRecord>): AdvisoryDiagnosticsSummary {
  const summary = new AdvisoryDiagnosticsSummarizer();
  for (const record of records) summary.add(record);
  return summary.build();
}

/** The same summary, one record at a time: an import streams its export and keeps no record. */
export class AdvisoryDiagnosticsSummarizer {
  private readonly summary = new SummaryBuilder();

  add(record: OsvRecord): void {
    this.summary.add(summarizeOne(advisoryDiagnostics(record)));
  }

  build(): AdvisoryDiagnosticsSummary {
    return this.summary.build();
  }
}

/** Several summaries as one (a finding whose alias group holds several advisories). */
export function mergeAdvisoryDiagnostics(
  summaries: Iterable<AdvisoryDiagnosticsSummary>,
): AdvisoryDiagnosticsSummary {
  const merged = new SummaryBuilder();
  for (const summary of summaries) merged.add(summary);
  return merged.build();
}

/**
 * Each advisory's diagnostics per package, worked out once per record (by id and `modified`) and
 * reused for every dependency it matches: a record with many unreadable events costs one pass over
 * them, not one per finding. Use one per unit of work (a persist step): records are held until then.
 */
export class AdvisoryDiagnosticsMemo {
  private readonly byRecord = new Map<string, Map<string, AdvisoryDiagnosticsSummary>>();

  /** The summary a finding on this package shows for this record; empty when it reads cleanly. */
  forPackage(record: OsvRecord, ecosystem: Ecosystem, packageName: string): AdvisoryDiagnosticsSummary {
    const key = `${record.id}\u0000${record.modified}`;
    let byPackage = this.byRecord.get(key);
    if (!byPackage) {
      byPackage = perPackage(record);
      this.byRecord.set(key, byPackage);
    }
    return byPackage.get(packageKey(ecosystem, packageName)) ?? NO_ADVISORY_DIAGNOSTICS;
  }
}

function perPackage(record: OsvRecord): Map<string, AdvisoryDiagnosticsSummary> {
  const grouped = new Map<string, AdvisoryDiagnostic[]>();
  for (const d of advisoryDiagnostics(record)) {
    const key = packageKey(d.ecosystem, d.package);
    const list = grouped.get(key);
    if (list) list.push(d);
    else grouped.set(key, [d]);
  }
  return new Map([...grouped].map(([key, list]) => [key, summarizeOne(list)]));
}

function packageKey(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}\u0000${normalizePackageName(ecosystem, name)}`;
}
