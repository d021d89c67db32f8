import { isEcosystem, toPurl, type ListedFinding } from '@repoguard/domain';

export function findingView(f: ListedFinding) {
  return {
    id: f.id,
    repo_id: f.repoId,
    status: f.status,
    severity: f.severity,
    cvss_score: f.cvssScore,
    vulnerability: {
      id: f.vulnerabilityId,
      aliases: f.aliases,
      summary: f.summary,
      references: f.references,
    },
    dependency: {
      ecosystem: f.ecosystem,
      name: f.packageName,
      version: f.version,
      purl: f.purl ?? (isEcosystem(f.ecosystem) ? toPurl(f.ecosystem, f.packageName, f.version) : null),
      manifest_path: f.manifestPath,
      direct: f.direct,
      line: f.line,
    },
    fixed_versions: f.fixedVersions,
    // Shape documented by FindingAdvisoryDiagnosticsDto.
    advisory_diagnostics: {
      total: f.advisoryDiagnostics.total,
      advisories: f.advisoryDiagnostics.advisories,
      by_rule: f.advisoryDiagnostics.byRule,
      sample: f.advisoryDiagnostics.sample.map((d) => ({
        advisory_id: d.advisoryId,
        code: d.code,
        range_type: d.rangeType,
        event: d.event,
        value: d.value,
        rule: d.rule,
        read_as: d.readAs,
      })),
      truncated: f.advisoryDiagnostics.total > f.advisoryDiagnostics.sample.length,
    },
    // The last decision, kept while the finding is fixed or withdrawn and after an ignore lapses
    // (status says what holds now); null when nobody triaged it.
    triage: f.triageStatus
      ? {
          status: f.triageStatus,
          reason: f.triageReason,
          // The decision in VEX terms while it holds: null once it lapsed, or when reopened.
          state: f.analysis?.state ?? null,
          justification: f.analysis?.justification ?? null,
          responses: f.analysis ? [...f.analysis.responses] : [],
          detail: f.analysis?.detail ?? null,
          expires_at: f.triageExpiresAt?.toISOString() ?? null,
          decided_by: f.triagedByType ? { type: f.triagedByType, id: f.triagedById } : null,
          decided_at: f.triagedAt?.toISOString() ?? null,
        }
      : null,
    first_seen: f.firstSeen.toISOString(),
    last_seen: f.lastSeen.toISOString(),
    fixed_at: f.fixedAt?.toISOString() ?? null,
  };
}
