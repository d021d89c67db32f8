import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AdvisoryDiagnosticsSummary, FindingFilter, PageRequest } from '@repoguard/domain';
import { FindingEntity } from '../entities';

export type FindingPageFilter = FindingFilter & PageRequest;

/** One finding as the API lists it: the finding's columns, its advisory's text and its dependency. */
export interface FindingRow {
  readonly id: string;
  readonly repo_id: string;
  readonly status: string;
  readonly severity: string;
  readonly cvss_score: number | null;
  readonly vulnerability_id: string;
  readonly aliases: string[];
  readonly summary: string | null;
  readonly references: { type: string; url: string }[] | null;
  readonly ecosystem: string;
  readonly package_name: string;
  readonly version: string;
  readonly manifest_path: string;
  readonly purl: string | null;
  readonly direct: boolean | null;
  readonly fixed_versions: string[];
  readonly advisory_diagnostics: AdvisoryDiagnosticsSummary | null;
  readonly triage_status: string | null;
  readonly triage_reason: string | null;
  readonly triage_expires_at: Date | null;
  readonly triaged_by_type: string | null;
  readonly triaged_by_id: string | null;
  readonly triaged_at: Date | null;
  readonly first_seen: Date;
  readonly last_seen: Date;
  readonly fixed_at: Date | null;
}

/**
 * A page of a repository's findings in one query, without building entities: the hottest read of
 * the API. The query builder applies the entity manager's filters, so on a tenant-scoped manager
 * the org condition is there as on every other read.
 */
export async function findingPage(
  em: EntityManager,
  filter: FindingPageFilter,
): Promise<{ rows: FindingRow[]; total: number }> {
  const asOf = filter.asOf ?? new Date();
  const where: FilterQuery<FindingEntity> = { repoId: filter.repoId };
  if (filter.findingId) where.id = filter.findingId;
  if (filter.severities) where.severity = { $in: [...filter.severities] };
  // As listed (effectiveFindingStatus): an ignore past its expiry is open, whatever is stored.
  if (filter.status === 'ignored') {
    where.status = 'ignored';
    where.$or = [{ triageExpiresAt: null }, { triageExpiresAt: { $gt: asOf } }];
  } else if (filter.status === 'open') {
    where.$or = [{ status: 'open' }, { status: 'ignored', triageExpiresAt: { $lte: asOf } }];
  } else if (filter.status) where.status = filter.status as FindingEntity['status'];
  if (filter.ecosystem) where.ecosystem = filter.ecosystem;
  if (filter.packageName) where.packageName = filter.packageName;

  const page = em.createQueryBuilder(FindingEntity, 'f').where(where);
  await page.applyFilters();
  const query = page
    .getKnexQuery()
    .clearSelect()
    .select(
      'f.id',
      'f.repo_id',
      em
        .getKnex()
        .raw(
          `case when f.status = 'ignored' and f.triage_expires_at <= ? then 'open' else f.status end as status`,
          [asOf],
        ),
      'f.severity',
      'f.cvss_score',
      'f.vulnerability_id',
      'f.aliases',
      'f.ecosystem',
      'f.package_name',
      'f.version',
      'f.manifest_path',
      'f.fixed_versions',
      'f.advisory_diagnostics',
      'f.triage_status',
      'f.triage_reason',
      'f.triage_expires_at',
      'f.triaged_by_type',
      'f.triaged_by_id',
      'f.triaged_at',
      'f.first_seen',
      'f.last_seen',
      'f.fixed_at',
      'v.summary',
      'v.references',
      'd.purl',
      'd.direct',
    )
    .leftJoin('vulnerabilities as v', 'v.id', 'f.vulnerability_id')
    // The dependency the finding was last seen on (a lock may list one package twice: take one).
    .joinRaw(
      `left join lateral (select d.purl, d.direct from dependencies d
         where d.snapshot_id = f.last_snapshot_id and d.org_id = f.org_id and d.name = f.package_name
           and d.manifest_path = f.manifest_path and d.version = f.version
         order by d.direct desc limit 1) d on true`,
    )
    .orderBy([
      { column: 'f.first_seen', order: 'desc' },
      { column: 'f.id', order: 'desc' },
    ])
    .limit(filter.limit)
    .offset(filter.offset);

  const [rows, total] = await Promise.all([
    em.getConnection().execute<FindingRow[]>(query),
    em.count(FindingEntity, where),
  ]);
  return { rows, total };
}
