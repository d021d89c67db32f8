import type { Severity } from '../severity/severity.value-object';
import type { NotificationPayloads } from './notification-event';
import type { PolicyReason } from '../policy/evaluate-policy';

type FindingChanges = NotificationPayloads['finding.changed']['changes'];

/** What an advisory says of a finding, as stored and as a new match has it. */
export interface AdvisoryFacts {
  readonly severity: Severity;
  readonly fixedVersions: readonly string[];
  /** null: the record has none; undefined: not known (the stored one stands). */
  readonly summary?: string | null;
}

/**
 * What changed in an advisory's facts about a finding, or null when nothing did. Fixed versions
 * compare as sets (their order is the record's, not a change); a summary counts only when both
 * sides have one, so filling in the summaries of findings stored before they were kept is not news.
 */
export function findingChanges(stored: AdvisoryFacts, now: AdvisoryFacts): FindingChanges | null {
  const changes: {
    severity?: FindingChanges['severity'];
    fixed_versions?: FindingChanges['fixed_versions'];
    summary?: FindingChanges['summary'];
  } = {};
  if (stored.severity !== now.severity) changes.severity = { from: stored.severity, to: now.severity };
  const sorted = (versions: readonly string[]) => [...new Set(versions)].sort();
  if (sorted(stored.fixedVersions).join('\u0000') !== sorted(now.fixedVersions).join('\u0000')) {
    changes.fixed_versions = { from: [...stored.fixedVersions], to: [...now.fixedVersions] };
  }
  if (
    typeof stored.summary === 'string' &&
    typeof now.summary === 'string' &&
    stored.summary !== now.summary
  ) {
    changes.summary = { from: stored.summary, to: now.summary };
  }
  return Object.keys(changes).length > 0 ? changes : null;
}

/** Findings named per reason in an event: a verdict over thousands of findings stays a small row. */
export const MAX_FINDINGS_PER_REASON = 50;

/**
 * The policy's reasons as an event carries them: each names at most MAX_FINDINGS_PER_REASON
 * findings (its message says how many there are).
 */
export function reasonsForEvent(reasons: readonly PolicyReason[]): PolicyReason[] {
  return reasons.map((r) => ({ ...r, findings: r.findings.slice(0, MAX_FINDINGS_PER_REASON) }));
}
