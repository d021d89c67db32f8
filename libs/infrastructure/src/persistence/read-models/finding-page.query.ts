import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  AdvisoryDiagnosticsSummary,
  FindingFilter,
  FindingPageRequest,
  FindingPosition,
  FindingSort,
  FindingSortKey,
} from '@repoguard/domain';
import { FindingEntity } from '../entities';
import { preparedRows } from './prepared-rows';

export type FindingPageFilter = FindingFilter & FindingPageRequest;

const DEFAULT_SORT: FindingSort = { key: 'severity', direction: 'desc' };

/**
 * ORDER BY per sort key, always ending on the id so pages never overlap. `severity` and
 * `first_seen` turn every column the same way, so one index serves either direction (read
 * backwards for desc): (repo_id, status, severity_rank, first_seen, id) and its status-less twin.
 */
const ORDER: Record<FindingSortKey, (direction: 'asc' | 'desc') => string> = {
  severity: (d) => `f.severity_rank ${d}, f.first_seen ${d}, f.id ${d}`,
  package: (d) =>
    `lower(f.package_name) ${d}, f.package_name ${d}, f.severity_rank desc, f.first_seen desc, f.id desc`,
  first_seen: (d) => `f.first_seen ${d}, f.id ${d}`,
};

/**
 * Rows after `p` in ORDER's order: a row comparison where every column turns the same way (an index
 * range), spelled out for `package`, whose columns do not.
 */
const AFTER: Record<FindingSortKey, (direction: 'asc' | 'desc', p: FindingPosition) => [string, unknown[]]> =
  {
    severity: (d, p) => [
      `(f.severity_rank, f.first_seen, f.id) ${d === 'asc' ? '>' : '<'} (?, ?::timestamptz, ?::uuid)`,
      [p.severityRank, p.firstSeen, p.id],
    ],
    first_seen: (d, p) => [
      `(f.first_seen, f.id) ${d === 'asc' ? '>' : '<'} (?::timestamptz, ?::uuid)`,
      [p.firstSeen, p.id],
    ],
    package: (d, p) => {
      const beyond = d === 'asc' ? '>' : '<';
      return [
        `(lower(f.package_name) ${beyond} lower(?) or (lower(f.package_name) = lower(?) and ` +
          `(f.package_name ${beyond} ? or (f.package_name = ? and ` +
          `(f.severity_rank, f.first_seen, f.id) < (?, ?::timestamptz, ?::uuid)))))`,
        [p.packageName, p.packageName, p.packageName, p.packageName, p.severityRank, p.firstSeen, p.id],
      ];
    },
  };

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
  readonly line: number | null;
  readonly fixed_versions: string[];
  readonly advisory_diagnostics: AdvisoryDiagnosticsSummary | null;
  readonly triage_status: string | null;
  readonly triage_reason: string | null;
  /** The decision's analysis while it holds (analysis_state null: none, or lapsed). */
  readonly analysis_state: string | null;
  readonly triage_justification: string | null;
  readonly triage_responses: string[] | null;
  readonly triage_expires_at: Date | null;
  readonly triaged_by_type: string | null;
  readonly triaged_by_id: string | null;
  readonly triaged_at: Date | null;
  readonly first_seen: Date;
  readonly last_seen: Date;
  readonly fixed_at: Date | null;
  /** Only when listed across an org. */
  readonly repo_owner?: string;
  readonly repo_name?: string;
}

/** A row as read: the finding, and what its position needs beyond it. */
type ReadRow = FindingRow & {
  total_count?: string | number;
  severity_rank: number;
  first_seen_key: string;
};

const positionOf = (row: ReadRow): FindingPosition => ({
  severityRank: row.severity_rank,
  firstSeen: row.first_seen_key,
  packageName: row.package_name,
  id: row.id,
});

/**
 * A page of findings in one query, without building entities: the hottest read of the API. The
 * query builder applies the entity manager's filters, so on a tenant-scoped manager the org
 * condition is there as on every other read. With `orgId`, only connected repositories' findings,
 * each with its repository's name.
 */
export async function findingPage(
  em: EntityManager,
  filter: FindingPageFilter,
): Promise<{ rows: FindingRow[]; total: number | null; next: FindingPosition | null }> {
  const asOf = filter.asOf ?? new Date();
  const where: FilterQuery<FindingEntity> = {};
  if (filter.repoId) where.repoId = filter.repoId;
  if (filter.orgId) where.orgId = filter.orgId;
  if (filter.findingId) where.id = filter.findingId;
  if (filter.severities) where.severity = { $in: [...filter.severities] };
  if (filter.ecosystem) where.ecosystem = filter.ecosystem;

  const filtered = em.createQueryBuilder(FindingEntity, 'f').where(where);
  await filtered.applyFilters();
  const base = filtered.getKnexQuery().clearSelect();
  if (filter.statuses) {
    const statuses = statusCondition(filter.statuses, asOf);
    base.whereRaw(statuses.sql, statuses.bindings);
  }
  // Served by findings_org_id_lower_package_name_index across an org, by the repo's own index otherwise.
  if (filter.packageName) base.whereRaw('lower(f.package_name) = lower(?)', [filter.packageName]);
  if (filter.advisory) {
    // Either index answers: findings_org_id_vulnerability_id_index or findings_aliases_index (GIN).
    base.whereRaw('(f.vulnerability_id = ? or f.aliases @> ?::jsonb)', [
      filter.advisory,
      JSON.stringify([filter.advisory]),
    ]);
  }
  if (filter.orgId) base.join('repositories as r', 'r.id', 'f.repo_id');

  const sort = filter.sort ?? DEFAULT_SORT;
  const withTotal = filter.withTotal ?? true;
  const count = base.clone().count({ n: '*' });
  const query = base.clone();
  if (filter.after) {
    const [sql, bindings] = AFTER[sort.key](sort.direction, filter.after);
    query.whereRaw(sql, bindings as readonly string[]);
  }
  query
    .select(
      // Computed once per statement (it refers to no row of the page): one round trip, not two.
      ...(withTotal ? [em.getKnex().raw('? as total_count', [count])] : []),
      'f.id',
      'f.repo_id',
      em.getKnex().raw(`${EFFECTIVE_STATUS} as status`, [asOf]),
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
      em.getKnex().raw(`${HOLDING_ANALYSIS_STATE} as analysis_state`, [asOf]),
      'f.triage_justification',
      'f.triage_responses',
      'f.triage_expires_at',
      'f.triaged_by_type',
      'f.triaged_by_id',
      'f.triaged_at',
      'f.first_seen',
      'f.last_seen',
      'f.fixed_at',
      'f.severity_rank',
      // Written out whatever the server's DateStyle, to the microsecond.
      em
        .getKnex()
        .raw(`to_char(f.first_seen at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US+00') as first_seen_key`),
      'v.summary',
      'v.references',
      'd.purl',
      'd.direct',
      'd.line',
      ...(filter.orgId ? ['r.owner as repo_owner', 'r.name as repo_name'] : []),
    )
    .leftJoin('vulnerabilities as v', 'v.id', 'f.vulnerability_id')
    // The dependency the finding was last seen on (a lock may list one package twice: take one).
    .joinRaw(
      `left join lateral (select d.purl, d.direct, d.line from dependencies d
         where d.snapshot_id = f.last_snapshot_id and d.org_id = f.org_id and d.name = f.package_name
           and d.manifest_path = f.manifest_path and d.version = f.version
         order by d.direct desc limit 1) d on true`,
    )
    .orderByRaw(ORDER[sort.key](sort.direction))
    // One more than the page: whether a next page exists, without counting.
    .limit(filter.limit + 1)
    .offset(filter.after ? 0 : filter.offset);

  const read = await preparedRows<ReadRow>(em, query);
  const more = read.length > filter.limit;
  const rows = more ? read.slice(0, filter.limit) : read;
  const next = more ? positionOf(rows[rows.length - 1]!) : null;
  const page = rows.map(({ total_count: _, severity_rank: __, first_seen_key: ___, ...row }) => row);
  if (!withTotal) return { rows: page, total: null, next };
  if (rows.length === 0) {
    // No row to carry the count (an empty list, or a page past the end): ask for it alone.
    const [counted] = await preparedRows<{ n: string | number }>(em, count);
    return { rows: [], total: Number(counted?.n ?? 0), next };
  }
  return { rows: page, total: Number(rows[0]!.total_count), next };
}

/**
 * Open findings by repository and severity (an ignore past its expiry counts as open), in one
 * grouped read of the (repo_id, status, severity) index.
 */
export async function openFindingCounts(
  em: EntityManager,
  repoIds: readonly string[],
  asOf: Date = new Date(),
): Promise<{ repo_id: string; severity: string; n: string | number }[]> {
  if (repoIds.length === 0) return [];
  const filtered = em
    .createQueryBuilder(FindingEntity, 'f')
    .where({ repoId: { $in: [...repoIds] }, status: { $in: ['open', 'ignored'] } });
  await filtered.applyFilters();
  const open = statusCondition(['open'], asOf);
  const query = filtered
    .getKnexQuery()
    .whereRaw(open.sql, open.bindings)
    .clearSelect()
    .select('f.repo_id', 'f.severity')
    .count({ n: '*' })
    .groupBy('f.repo_id', 'f.severity');
  return em.getConnection().execute(query);
}

/** What a finding is now (effectiveFindingStatus): an ignore past its expiry is open, whatever is stored. */
const EFFECTIVE_STATUS = `case when f.status = 'ignored' and f.triage_expires_at <= ? then 'open' else f.status end`;

/** The decision's VEX state while it holds: a decision past its expiry no longer says anything. */
const HOLDING_ANALYSIS_STATE = `case when f.triage_expires_at is null or f.triage_expires_at > ? then f.triage_state end`;

/** Findings whose status, as listed, is any of `statuses`. */
function statusCondition(
  statuses: readonly string[],
  asOf: Date,
): { sql: string; bindings: (string | Date)[] } {
  const parts: string[] = [];
  const bindings: (string | Date)[] = [];
  for (const status of statuses) {
    if (status === 'ignored') {
      parts.push(`(f.status = 'ignored' and (f.triage_expires_at is null or f.triage_expires_at > ?))`);
      bindings.push(asOf);
    } else if (status === 'open') {
      parts.push(`(f.status = 'open' or (f.status = 'ignored' and f.triage_expires_at <= ?))`);
      bindings.push(asOf);
    } else {
      parts.push('f.status = ?');
      bindings.push(status);
    }
  }
  return { sql: parts.length > 0 ? `(${parts.join(' or ')})` : 'false', bindings };
}
