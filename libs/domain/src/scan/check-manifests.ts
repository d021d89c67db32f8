import { compareText } from '../shared/compare-text';
import type { AdvisoryIndex } from '../advisory/advisory-index';
import type { CvssScorer } from '../advisory/advisory-severity';
import { matchDependencies, type VulnerabilityMatch } from '../advisory/match-dependencies';
import { snapshotCompleteness, type ScanCompleteness } from '../dependency/snapshot-completeness';
import type {
  ManifestDiagnostic,
  ManifestParseResult,
  ParsedDependency,
  ParseOptions,
} from '../manifest/manifest.types';
import { parseManifest, parserFor } from '../manifest/manifest-registry';
import { evaluatePolicy, type PolicyEvaluation, type PolicyFinding } from '../policy/evaluate-policy';
import type { PolicyRules } from '../policy/policy';
import type { KnownFinding, KnownFindings } from './known-findings';

export interface ManifestFile {
  readonly path: string;
  readonly text: string;
}

export interface ParsedManifestFile {
  readonly path: string;
  readonly parsed: ManifestParseResult;
  /** The parser that read it, when its path does not name one (an SBOM file of any name). */
  readonly parserId?: string;
}

export interface ManifestCheck {
  readonly manifestPath: string;
  readonly parserId: string;
  readonly dependencies: readonly ParsedDependency[];
  readonly diagnostics: readonly ManifestDiagnostic[];
  readonly findings: readonly VulnerabilityMatch[];
}

export interface CheckReport {
  readonly results: readonly ManifestCheck[];
  /** Incomplete when a manifest could not be read in full, or none was found. */
  readonly completeness: ScanCompleteness;
  readonly evaluation: PolicyEvaluation;
  /**
   * Findings an earlier check already had (CheckOptions.known): left out of `results` and of the
   * policy's verdict, kept here so this report can serve as the next baseline.
   */
  readonly known: readonly KnownFinding[];
}

export interface CheckOptions {
  /** A baseline: findings it has are reported as known, not judged. */
  readonly known?: KnownFindings;
  /** Scores CVSS vectors in place of the calculator: the CLI's answers kept from earlier checks. */
  readonly scoreCvss?: CvssScorer;
}

/**
 * The whole local check, free of I/O: parse each manifest, match its pinned dependencies against
 * the advisories, and judge every finding with the policy. The CLI and tests share it.
 */
export function checkManifests(
  files: readonly ManifestFile[],
  index: AdvisoryIndex,
  policy: PolicyRules,
  now: Date,
  options: ParseOptions = {},
  checkOptions: CheckOptions = {},
): CheckReport {
  const parsed = files
    .filter((file) => parserFor(file.path))
    .map((file) => ({ path: file.path, parsed: parseManifest(file.path, file.text, options) }));
  return checkParsedManifests(parsed, index, policy, now, checkOptions);
}

/**
 * The check after parsing, for callers that parse elsewhere (the CLI's parser pool): match and
 * judge. Files no parser reads are left out, as checkManifests does.
 */
export function checkParsedManifests(
  files: readonly ParsedManifestFile[],
  index: AdvisoryIndex,
  policy: PolicyRules,
  now: Date,
  options: CheckOptions = {},
): CheckReport {
  const results: ManifestCheck[] = [];
  const known: KnownFinding[] = [];
  for (const file of [...files].sort((a, b) => compareText(a.path, b.path))) {
    const parserId = file.parserId ?? parserFor(file.path)?.id;
    if (!parserId) continue;
    const findings: VulnerabilityMatch[] = [];
    for (const finding of matchDependencies(index, file.parsed.dependencies, options.scoreCvss)) {
      const identity = { manifestPath: file.path, ...finding };
      if (options.known?.has(identity)) known.push(knownFinding(identity));
      else findings.push(finding);
    }
    results.push({
      manifestPath: file.path,
      parserId,
      dependencies: file.parsed.dependencies,
      diagnostics: file.parsed.diagnostics,
      findings,
    });
  }
  const findings: PolicyFinding[] = results.flatMap((r) =>
    r.findings.map((f) => ({
      vulnerabilityId: f.vulnerabilityId,
      aliases: f.aliases,
      severity: f.severity.severity,
      ecosystem: f.ecosystem,
      name: f.name,
      version: f.version,
    })),
  );
  const dependencies = results.flatMap((r) => r.dependencies);
  const completeness = snapshotCompleteness(
    results.map((r) => ({ path: r.manifestPath, diagnostics: r.diagnostics })),
  );
  return {
    results,
    completeness,
    evaluation: evaluatePolicy(policy, dedupe(findings), dependencies, now, completeness),
    known,
  };
}

const knownFinding = (f: KnownFinding): KnownFinding => ({
  manifestPath: f.manifestPath,
  ecosystem: f.ecosystem,
  name: f.name,
  vulnerabilityId: f.vulnerabilityId,
  aliases: f.aliases,
});

// The same package at the same version in two manifests is one finding for the policy.
function dedupe(findings: PolicyFinding[]): PolicyFinding[] {
  const seen = new Map<string, PolicyFinding>();
  for (const f of findings) seen.set(`${f.vulnerabilityId}@${f.ecosystem}/${f.name}@${f.version}`, f);
  return [...seen.values()];
}
