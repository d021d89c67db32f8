import { compareText } from '../shared/compare-text';
import { COMPLETE, describeIncompleteness, type ScanCompleteness } from '../dependency/snapshot-completeness';
import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import { atLeast, compareSeverity, type Severity } from '../severity/severity.value-object';
import type { PolicyRules } from './policy';

export type PolicyStatus = 'OK' | 'WARN' | 'FAIL';

/** What the policy needs of a finding; persistence and the CLI both map theirs to this. */
export interface PolicyFinding {
  readonly vulnerabilityId: string;
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
  /** A triage decision recorded on the finding itself. */
  readonly triage?: 'open' | 'ignored';
}

export interface PolicyDependency {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string | null;
  readonly manifestPath: string;
}

export interface PolicyReason {
  readonly rule: string;
  readonly status: Exclude<PolicyStatus, 'OK'>;
  readonly message: string;
  /** `vulnerabilityId@ecosystem/name@version` of the findings that tripped the rule. */
  readonly findings: readonly string[];
}

export interface PolicyEvaluation {
  readonly status: PolicyStatus;
  readonly reasons: readonly PolicyReason[];
  /** Findings left out by an ignore rule still in force, with the reason given. */
  readonly ignored: readonly { readonly finding: string; readonly reason: string }[];
}

const findingKey = (f: PolicyFinding) => `${f.vulnerabilityId}@${f.ecosystem}/${f.name}@${f.version}`;

/**
 * Judges findings with a policy. Pure and deterministic (the caller passes `now`), so a workflow
 * may call it; reasons come out in a fixed order: FAIL rules first, then WARN, each by rule. What
 * was not read (`completeness`) is at least a WARN (rule `incomplete`), a FAIL with
 * `fail_on_incomplete`: no policy can turn a scan that missed a manifest into OK.
 */
export function evaluatePolicy(
  policy: PolicyRules,
  findings: readonly PolicyFinding[],
  dependencies: readonly PolicyDependency[],
  now: Date,
  completeness: ScanCompleteness = COMPLETE,
): PolicyEvaluation {
  const activeIgnores = (policy.ignore ?? []).filter(
    (rule) => !rule.expires_at || Date.parse(rule.expires_at) > now.getTime(),
  );
  const ignored: { finding: string; reason: string }[] = [];
  const open: PolicyFinding[] = [];
  for (const finding of [...findings].sort((a, b) => compareText(findingKey(a), findingKey(b)))) {
    if (finding.triage === 'ignored') {
      ignored.push({ finding: findingKey(finding), reason: 'ignored by triage' });
      continue;
    }
    const ids = new Set([finding.vulnerabilityId, ...finding.aliases]);
    const rule = activeIgnores.find((r) => ids.has(r.id));
    if (rule) ignored.push({ finding: findingKey(finding), reason: rule.reason });
    else open.push(finding);
  }

  const reasons: PolicyReason[] = [];
  const severityRule = (rule: 'fail_on_severity' | 'warn_on_severity', status: 'FAIL' | 'WARN') => {
    const threshold = policy[rule];
    if (!threshold) return;
    const hits = open.filter((f) => atLeast(f.severity, threshold) && f.severity !== 'UNKNOWN');
    if (hits.length === 0) return;
    const worst = hits.reduce((a, b) => (compareSeverity(b.severity, a.severity) > 0 ? b : a)).severity;
    reasons.push({
      rule,
      status,
      message: `${hits.length} finding(s) of severity ${threshold} or above (worst: ${worst})`,
      findings: hits.map(findingKey),
    });
  };
  severityRule('fail_on_severity', 'FAIL');

  const listed = new Set(policy.fail_on_vulnerability_ids ?? []);
  if (listed.size > 0) {
    const hits = open.filter((f) => [f.vulnerabilityId, ...f.aliases].some((id) => listed.has(id)));
    if (hits.length > 0) {
      reasons.push({
        rule: 'fail_on_vulnerability_ids',
        status: 'FAIL',
        message: `${hits.length} finding(s) of a vulnerability the policy always fails on`,
        findings: hits.map(findingKey),
      });
    }
  }

  const unpinned = dependencies
    .filter((d) => d.version === null)
    .map((d) => `${d.ecosystem}/${d.name} (${d.manifestPath})`)
    .sort();
  const unpinnedRule = (rule: 'fail_on_unpinned' | 'warn_on_unpinned', status: 'FAIL' | 'WARN') => {
    if (!policy[rule] || unpinned.length === 0) return;
    reasons.push({
      rule,
      status,
      message: `${unpinned.length} dependency(ies) without an exact version: ${unpinned.slice(0, 5).join(', ')}${unpinned.length > 5 ? ', …' : ''}`,
      findings: [],
    });
  };
  unpinnedRule('fail_on_unpinned', 'FAIL');

  const incompleteStatus = policy.fail_on_incomplete ? 'FAIL' : 'WARN';
  const incompleteRule = (status: 'FAIL' | 'WARN') => {
    if (completeness.complete || status !== incompleteStatus) return;
    reasons.push({
      rule: status === 'FAIL' ? 'fail_on_incomplete' : 'incomplete',
      status,
      message: describeIncompleteness(completeness),
      findings: [],
    });
  };
  incompleteRule('FAIL');

  const maxRule = (action: 'fail' | 'warn') => {
    for (const [i, rule] of (policy.max_findings ?? []).entries()) {
      if (rule.action !== action) continue;
      const hits = open.filter((f) => atLeast(f.severity, rule.severity));
      if (hits.length <= rule.max) continue;
      reasons.push({
        rule: `max_findings[${i}]`,
        status: action === 'fail' ? 'FAIL' : 'WARN',
        message: `${hits.length} finding(s) of severity ${rule.severity} or above; at most ${rule.max} allowed`,
        findings: hits.map(findingKey),
      });
    }
  };
  maxRule('fail');

  severityRule('warn_on_severity', 'WARN');
  unpinnedRule('warn_on_unpinned', 'WARN');
  maxRule('warn');
  incompleteRule('WARN');

  const status: PolicyStatus = reasons.some((r) => r.status === 'FAIL')
    ? 'FAIL'
    : reasons.some((r) => r.status === 'WARN')
      ? 'WARN'
      : 'OK';
  return { status, reasons, ignored };
}
