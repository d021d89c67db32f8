import type { ScanCompleteness } from '../dependency/snapshot-completeness';
import type { CurrentFinding } from '../finding/current-finding';
import { evaluatePolicy, type PolicyDependency, type PolicyEvaluation } from './evaluate-policy';
import type { PolicyRules } from './policy';

/**
 * Judges a repository's current findings: the scan's last step and the API's live (and dry-run)
 * evaluation both come here, so they cannot disagree. An ignore decision past its expiry counts
 * as open again. `completeness` is required: a verdict that forgot what the scan could not read
 * would call a broken lock file OK.
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
      triage:
        f.status === 'ignored' && (!f.triageExpiresAt || f.triageExpiresAt.getTime() > now.getTime())
          ? 'ignored'
          : 'open',
    })),
    dependencies,
    now,
    completeness,
  );
}
