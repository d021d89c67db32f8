import type { ScanCompleteness } from '../dependency/snapshot-completeness';
import type { CurrentFinding } from '../finding/current-finding';
import { ignoreHolds } from '../finding/finding-status';
import { evaluatePolicy, type PolicyDependency, type PolicyEvaluation } from './evaluate-policy';
import type { PolicyRules } from './policy';

/**
 * Judges a repository's current findings: the scan's last step, the re-evaluation after a triage
 * or policy change and the API's live (and dry-run) evaluation all come here, so they cannot
 * disagree. An ignore decision past its expiry counts as open again. `completeness` is required: a
 * verdict that forgot what the scan could not read would call a broken lock file OK.
 */
export function judgeFindings(
  rules: PolicyRules,
  findings: readonly CurrentFinding[],
  dependencies: readonly PolicyDependency[],
  now: Date,
  completeness: ScanCompleteness,
): PolicyEvaluation {
  return evaluatePolicy(
    rules,
    findings.map((f) => ({
      vulnerabilityId: f.vulnerabilityId,
      aliases: f.aliases,
      severity: f.severity,
      ecosystem: f.ecosystem,
      name: f.packageName,
      version: f.version,
      triage: f.status === 'ignored' && ignoreHolds(f.triageExpiresAt, now) ? 'ignored' : 'open',
    })),
    dependencies,
    now,
    completeness,
  );
}

/**
 * When the verdict on these findings may change with nothing else changing: the first expiry
 * still ahead among the ignores in force (a triage decision, or a policy rule naming one of the
 * findings). Null when no ignore in force lapses.
 */
export function verdictLapsesAt(
  rules: PolicyRules,
  findings: readonly CurrentFinding[],
  now: Date,
): Date | null {
  const ahead = (at: number) => (at > now.getTime() ? [at] : []);
  const triage = findings.flatMap((f) =>
    f.status === 'ignored' && f.triageExpiresAt ? ahead(f.triageExpiresAt.getTime()) : [],
  );
  const ids = new Set(findings.flatMap((f) => [f.vulnerabilityId, ...f.aliases]));
  const policy = (rules.ignore ?? []).flatMap((rule) =>
    rule.expires_at && ids.has(rule.id) ? ahead(Date.parse(rule.expires_at)) : [],
  );
  const times = [...triage, ...policy];
  return times.length === 0 ? null : new Date(Math.min(...times));
}
