import type { EntityManager } from '@mikro-orm/postgresql';
import {
  isSeverity,
  NO_ADVISORY_DIAGNOSTICS,
  SEVERITIES,
  type FindingFilter,
  type FindingPage,
  type FindingPageRequest,
  type FindingQueries,
  type ListedFinding,
  type OrgListedFinding,
  type Severity,
  type SeverityCounts,
  type VexAnalysis,
  type VexJustification,
  type VexResponse,
  type VexState,
} from '@repoguard/domain';
import { findingPage, openFindingCounts, type FindingRow } from '../read-models/finding-page.query';
import type { FindingTotals } from '../read-models/finding-totals';

// Raw rows: the driver may hand timestamps back as strings (node-postgres gives Dates: kept as they are).
const date = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

const listedOf = (row: FindingRow): ListedFinding => ({
  id: row.id,
  repoId: row.repo_id,
  status: row.status,
  severity: row.severity,
  cvssScore: row.cvss_score,
  vulnerabilityId: row.vulnerability_id,
  aliases: row.aliases,
  summary: row.summary,
  references: row.references ?? [],
  ecosystem: row.ecosystem,
  packageName: row.package_name,
  version: row.version,
  manifestPath: row.manifest_path,
  purl: row.purl,
  direct: row.direct,
  line: row.line,
  fixedVersions: row.fixed_versions,
  advisoryDiagnostics: row.advisory_diagnostics ?? NO_ADVISORY_DIAGNOSTICS,
  triageStatus: row.triage_status,
  triageReason: row.triage_reason,
  analysis: analysisOf(row),
  triageExpiresAt: row.triage_expires_at === null ? null : date(row.triage_expires_at),
  triagedByType: row.triaged_by_type,
  triagedById: row.triaged_by_id,
  triagedAt: row.triaged_at === null ? null : date(row.triaged_at),
  firstSeen: date(row.first_seen),
  lastSeen: date(row.last_seen),
  fixedAt: row.fixed_at === null ? null : date(row.fixed_at),
});

/** The decision in VEX terms while it holds (the read model leaves the state out once it lapsed). */
function analysisOf(row: FindingRow): VexAnalysis | null {
  return row.analysis_state
    ? {
        state: row.analysis_state as VexState,
        justification: row.triage_justification as VexJustification | null,
        responses: (row.triage_responses ?? []) as VexResponse[],
        detail: row.triage_reason,
      }
    : null;
}

const noCounts = (): Record<Severity, number> =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

/** The finding page read model (one query, no entities) behind the FindingQueries port. */
export class MikroOrmFindingQueries implements FindingQueries {
  constructor(
    private readonly em: EntityManager,
    private readonly totals?: FindingTotals,
  ) {}

  async page(
    filter: FindingFilter & { readonly repoId: string },
    page: FindingPageRequest,
  ): Promise<FindingPage<ListedFinding>> {
    const { rows, total, next } = await findingPage(this.em, { ...filter, ...page }, this.totals);
    return { items: rows.map(listedOf), total, next };
  }

  async search(
    filter: FindingFilter & { readonly orgId: string },
    page: FindingPageRequest,
  ): Promise<FindingPage<OrgListedFinding>> {
    const { rows, total, next } = await findingPage(this.em, { ...filter, ...page }, this.totals);
    return {
      items: rows.map((row) => ({ ...listedOf(row), repoFullName: `${row.repo_owner}/${row.repo_name}` })),
      total,
      next,
    };
  }

  async openCountsBySeverity(repoIds: readonly string[]): Promise<ReadonlyMap<string, SeverityCounts>> {
    const counts = new Map(repoIds.map((id) => [id, noCounts()]));
    for (const row of await openFindingCounts(this.em, repoIds)) {
      const severity = isSeverity(row.severity) ? row.severity : 'UNKNOWN';
      const repo = counts.get(row.repo_id);
      if (repo) repo[severity] += Number(row.n);
    }
    return counts;
  }
}
