import type { OrgSummary } from '@repoguard/application';
import { countsView } from '../repos/repo.view';
import type { OrgSummaryDto } from './org-summary-response.dto';

const iso = (at: Date | null) => at?.toISOString() ?? null;

export function orgSummaryView(orgId: string, summary: OrgSummary): OrgSummaryDto {
  const byStatus = summary.repositoriesByStatus;
  const first = summary.trend[0];
  const last = summary.trend[summary.trend.length - 1];
  return {
    org_id: orgId,
    as_of: summary.asOf.toISOString(),
    repositories: {
      total: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
      by_status: {
        fail: byStatus.FAIL,
        warn: byStatus.WARN,
        ok: byStatus.OK,
        pending: byStatus.PENDING,
        error: byStatus.ERROR,
      },
      attention: {
        total: summary.attention.total,
        items: summary.attention.items.map(({ repo, openFindings, reasons }) => ({
          id: repo.id,
          full_name: `${repo.owner}/${repo.name}`,
          status: repo.status,
          open_findings: countsView(openFindings),
          reasons: reasons.map((r) => ({ rule: r.rule, status: r.status, message: r.message })),
        })),
      },
    },
    open_findings: countsView(summary.openFindings),
    trend: {
      from: first?.day ?? '',
      to: last?.day ?? '',
      points: summary.trend.map((p) => ({ day: p.day, ...countsView(p.counts) })),
    },
    newest_critical_findings: summary.newestCritical.map((f) => ({
      id: f.id,
      repo_id: f.repoId,
      repo_full_name: f.repoFullName,
      severity: f.severity,
      vulnerability_id: f.vulnerabilityId,
      aliases: f.aliases,
      summary: f.summary,
      ecosystem: f.ecosystem,
      package_name: f.packageName,
      version: f.version,
      manifest_path: f.manifestPath,
      fixed_versions: f.fixedVersions,
      first_seen: f.firstSeen.toISOString(),
    })),
    recent_scans: summary.recentScans.map((s) => ({
      id: s.id,
      repo_id: s.repoId,
      repo_full_name: s.repoFullName,
      status: s.status,
      trigger: s.trigger,
      verdict: s.verdict,
      error_code: s.errorCode,
      created_at: s.createdAt.toISOString(),
      started_at: iso(s.startedAt),
      completed_at: iso(s.completedAt),
      duration_ms: s.startedAt && s.completedAt ? s.completedAt.getTime() - s.startedAt.getTime() : null,
    })),
  };
}
