import type { DesiredFinding } from './desired-finding';
import type { FindingStatus } from './finding-status';

/** A finding still present in the repo, with its triage decision. */
export interface CurrentFinding extends DesiredFinding {
  readonly status: Extract<FindingStatus, 'open' | 'ignored'>;
  /** An ignore decision lapses at this time. */
  readonly triageExpiresAt: Date | null;
}

/** What of a finding a verdict depends on besides its advisory: which one it is, and its triage. */
export type JudgedFinding = Pick<
  CurrentFinding,
  'ecosystem' | 'packageName' | 'version' | 'manifestPath' | 'vulnerabilityId' | 'status' | 'triageExpiresAt'
>;

/**
 * The findings a verdict was judged on, as one value: equal for the same findings with the same
 * triage, in any order. A scan completing compares it with the findings under its lock to learn
 * whether a triage decision came in after it judged.
 */
export function judgedFindingsKey(findings: readonly JudgedFinding[]): string {
  return findings
    .map((f) =>
      JSON.stringify([
        f.ecosystem,
        f.packageName,
        f.version,
        f.manifestPath,
        f.vulnerabilityId,
        f.status,
        f.triageExpiresAt?.getTime() ?? null,
      ]),
    )
    .sort()
    .join('\n');
}
