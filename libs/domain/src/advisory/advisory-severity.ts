import type { OsvRecord, OsvSeverity } from './osv-record';
import { isSeverity, type Severity, severityFromScore } from '../severity/severity.value-object';

export interface SeverityAssessment {
  readonly severity: Severity;
  /** CVSS base score when a vector was scored. */
  readonly score: number | null;
  readonly vector: string | null;
  /** Where the rating came from, for display. */
  readonly source: 'cvss_v4' | 'cvss_v3' | 'database' | 'none';
}

// Preference: the newest CVSS version present, then the database's own label.
const CVSS_TYPES: readonly { type: string; source: SeverityAssessment['source'] }[] = [
  { type: 'CVSS_V4', source: 'cvss_v4' },
  { type: 'CVSS_V3', source: 'cvss_v3' },
];

/** A CVSS vector's base score, or null when the text is not a vector it can score. */
export type CvssScorer = (vector: string) => number | null;

/**
 * Rates an OSV record: CVSS v4 or v3.x vectors (record-level, else per affected package) scored
 * with ae-cvss-calculator (or `score`, which answers as scoreCvssVector does: a cache of it), else
 * GHSA's `database_specific.severity` label, else UNKNOWN.
 */
export function assessSeverity(record: OsvRecord, score: CvssScorer = scoreCvssVector): SeverityAssessment {
  const vectors: OsvSeverity[] = [
    ...(record.severity ?? []),
    ...(record.affected ?? []).flatMap((a) => a.severity ?? []),
  ];
  for (const { type, source } of CVSS_TYPES) {
    for (const entry of vectors.filter((v) => v.type === type)) {
      const base = score(entry.score);
      if (base !== null) {
        return { severity: severityFromScore(base), score: base, vector: entry.score, source };
      }
    }
  }
  const label = databaseLabel(record);
  if (label) return { severity: label, score: null, vector: null, source: 'database' };
  return { severity: 'UNKNOWN', score: null, vector: null, source: 'none' };
}

// Loaded on the first vector scored: a check that finds nothing never pays for the calculator.
let cvss: typeof import('ae-cvss-calculator') | undefined;

/**
 * Scores one vector with ae-cvss-calculator. Pure, but not cheap: a CVSS 4.0 vector takes several
 * milliseconds (the calculator explores the vector's macrovector neighbours), which is why
 * callers that score the same vectors again may keep the answers.
 */
export function scoreCvssVector(vector: string): number | null {
  // Loaded outside the catch: a calculator that cannot load (the packed CLI's lib file missing or
  // broken) must fail the check, not rate every scored advisory as unscored, which reads as UNKNOWN
  // and lets a policy on severity pass.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  cvss ??= require('ae-cvss-calculator') as typeof import('ae-cvss-calculator');
  try {
    const parsed = cvss.fromVector(vector.trim());
    const base = parsed?.calculateScores().base;
    return typeof base === 'number' && Number.isFinite(base) ? base : null;
  } catch {
    return null; // a malformed vector rates nothing; the next source decides
  }
}

function databaseLabel(record: OsvRecord): Severity | null {
  const raw = record.database_specific?.['severity'];
  if (typeof raw !== 'string') return null;
  // GHSA says MODERATE where CVSS says MEDIUM.
  const label = raw.trim().toUpperCase() === 'MODERATE' ? 'MEDIUM' : raw.trim().toUpperCase();
  return isSeverity(label) ? label : null;
}
