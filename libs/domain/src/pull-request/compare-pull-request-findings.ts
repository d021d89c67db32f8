import type { ScanCompleteness } from '../dependency/snapshot-completeness';
import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import { versionScheme } from '../ecosystem/versions/version-schemes';
import { evaluatePolicy, type PolicyDependency, type PolicyStatus } from '../policy/evaluate-policy';
import type { PolicyRules } from '../policy/policy';
import type { PullRequestFinding } from './pull-request-check';
import type { RiskAcceptance } from './risk-acceptance';

/**
 * A finding's identity across base and head: the vulnerability in a package of an ecosystem. The
 * version is left out, so bumping a package from one vulnerable version to another does not
 * "introduce" the advisory it already had; so is the manifest, so a lock file regenerated under
 * another path does not either.
 */
export const pullRequestFindingKey = (
  f: Pick<PullRequestFinding, 'vulnerabilityId' | 'ecosystem' | 'packageName'>,
) => `${f.vulnerabilityId}\u0000${f.ecosystem}\u0000${f.packageName}`;

/**
 * The lowest of the fixed versions above `version`; null when none is above (no fix yet): a fix at
 * or below the version in use fixes nothing. Only when `version` itself does not order in its
 * ecosystem is the lowest of them named, as nothing can be compared.
 */
export function lowestFixAbove(
  ecosystem: Ecosystem,
  version: string,
  fixedVersions: readonly string[],
): string | null {
  const scheme = versionScheme(ecosystem);
  if (!scheme.isValid(version)) return [...fixedVersions].sort()[0] ?? null;
  const above = fixedVersions
    .filter((v) => scheme.isValid(v) && scheme.compare(v, version) > 0)
    .sort((a, b) => scheme.compare(a, b));
  return above[0] ?? null;
}

export interface PullRequestFindingsInput {
  /** What the base has in the manifests the pull request changes. */
  readonly base: readonly PullRequestFinding[];
  /** What the head has in the same manifests. */
  readonly head: readonly PullRequestFinding[];
  readonly acceptances: readonly Pick<RiskAcceptance, 'vulnerabilityId' | 'ecosystem' | 'packageName'>[];
  readonly rules: PolicyRules;
  /** The head's dependencies of the changed manifests (the unpinned rules read them). */
  readonly headDependencies: readonly PolicyDependency[];
  /** Of the head's changed manifests. */
  readonly completeness: ScanCompleteness;
  readonly now: Date;
}

export interface PullRequestFindingsVerdict {
  readonly introduced: PullRequestFinding[];
  readonly resolved: PullRequestFinding[];
  readonly accepted: PullRequestFinding[];
  readonly status: PolicyStatus;
  readonly reasons: string[];
}

/**
 * What a pull request adds and removes, and the org's policy on what it adds: findings of the head
 * whose identity the base lacks are introduced (those under a risk acceptance in force are also
 * `accepted`, and judged as ignored); findings of the base the head lacks are resolved.
 */
export function comparePullRequestFindings(input: PullRequestFindingsInput): PullRequestFindingsVerdict {
  const baseKeys = new Set(input.base.map(pullRequestFindingKey));
  const headKeys = new Set(input.head.map(pullRequestFindingKey));
  const introduced = input.head.filter((f) => !baseKeys.has(pullRequestFindingKey(f)));
  const resolved = input.base.filter((f) => !headKeys.has(pullRequestFindingKey(f)));
  const acceptedKeys = new Set(input.acceptances.map(pullRequestFindingKey));
  const isAccepted = (f: PullRequestFinding) =>
    [f.vulnerabilityId, ...f.aliases].some((id) =>
      acceptedKeys.has(pullRequestFindingKey({ ...f, vulnerabilityId: id })),
    );
  const accepted = introduced.filter(isAccepted);
  const evaluation = evaluatePolicy(
    input.rules,
    introduced.map((f) => ({
      vulnerabilityId: f.vulnerabilityId,
      aliases: f.aliases,
      severity: f.severity,
      ecosystem: f.ecosystem,
      name: f.packageName,
      version: f.version,
      triage: isAccepted(f) ? ('ignored' as const) : ('open' as const),
    })),
    input.headDependencies,
    input.now,
    input.completeness,
  );
  return {
    introduced,
    resolved,
    accepted,
    status: evaluation.status,
    reasons: evaluation.reasons.map((r) => `${r.status}: ${r.message}`),
  };
}
