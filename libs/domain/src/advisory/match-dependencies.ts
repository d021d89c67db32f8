import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import { versionScheme } from '../ecosystem/versions/version-schemes';
import type { ParsedDependency } from '../manifest/manifest.types';
import { assessSeverity, type CvssScorer, type SeverityAssessment } from './advisory-severity';
import { compareSeverity } from '../severity/severity.value-object';
import type { AdvisoryIndex } from './advisory-index';
import { groupByAliases } from './alias-groups';
import type { OsvRecord } from './osv-record';

/** One vulnerability (an alias group) affecting one dependency at its pinned version. */
export interface VulnerabilityMatch {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
  readonly vulnerabilityId: string;
  readonly aliases: readonly string[];
  readonly recordIds: readonly string[];
  readonly summary: string | null;
  readonly severity: SeverityAssessment;
  readonly fixedVersions: readonly string[];
}

/**
 * Matches pinned dependencies against the index. Unpinned ones (version null) are never matched:
 * guessing a version from a range's lower bound is how other scanners report false positives.
 */
export function matchDependencies(
  index: AdvisoryIndex,
  dependencies: readonly Pick<ParsedDependency, 'ecosystem' | 'name' | 'version'>[],
  scoreCvss?: CvssScorer,
): VulnerabilityMatch[] {
  const results: VulnerabilityMatch[] = [];
  const seen = new Set<string>();
  for (const { ecosystem, name, version } of dependencies) {
    if (version === null) continue;
    const dedupeKey = `${ecosystem}\u0000${name}\u0000${version}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    const matches = index.match(ecosystem, name, version);
    if (matches.length > 0)
      results.push(...describeVulnerabilities(ecosystem, name, version, matches, scoreCvss));
  }
  return results;
}

/**
 * Turns the advisories known to affect one package version into findings: one per alias group,
 * rated by its most severe record, with the fix versions any of its records names.
 */
export function describeVulnerabilities(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  matches: readonly { record: OsvRecord; fixedVersions: readonly string[] }[],
  scoreCvss?: CvssScorer,
): VulnerabilityMatch[] {
  const fixedById = new Map(matches.map((m) => [m.record.id, m.fixedVersions]));
  const scheme = versionScheme(ecosystem);
  return groupByAliases(matches.map((m) => m.record)).map((group) => {
    const assessments = group.records.map((record) => assessSeverity(record, scoreCvss));
    // The group's rating: the most severe of its records, preferring a scored one on ties.
    const severity = assessments.reduce((best, next) => {
      const order = compareSeverity(next.severity, best.severity);
      return order > 0 || (order === 0 && best.score === null && next.score !== null) ? next : best;
    });
    const fixed = [...new Set(group.records.flatMap((r) => fixedById.get(r.id) ?? []))].sort((a, b) =>
      scheme.isValid(a) && scheme.isValid(b) ? scheme.compare(a, b) : a.localeCompare(b),
    );
    const representative = group.records.find((r) => r.id === group.id) ?? group.records[0];
    return {
      ecosystem,
      name,
      version,
      vulnerabilityId: group.id,
      aliases: group.aliases,
      recordIds: group.records.map((r) => r.id).sort(),
      summary: representative?.summary ?? group.records.find((r) => r.summary)?.summary ?? null,
      severity,
      fixedVersions: fixed,
    };
  });
}
