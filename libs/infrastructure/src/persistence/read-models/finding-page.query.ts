import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';
import type {
  AdvisoryDiagnosticsSummary,
  FindingFilter,
  FindingPageRequest,
  FindingPosition,
  FindingSort,
  FindingSortKey,
} from '@repoguard/domain';
import { FindingEntity } from '../entities';
import { scopedOrgIds } from '../tenant-scope';
import type { FindingTotals } from './finding-totals';
import { preparedRows, StatementTemplates, type TemplateValue } from './prepared-rows';

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
 * What a list's total depends on: the tenant scope and every filter, not the order or the page.
 * Undefined (nothing held) off a tenant-scoped manager, or for a total as of a given time.
 */
function totalKey(em: EntityManager, filter: FindingPageFilter): string | undefined {
  const orgIds = scopedOrgIds(em);
  if (!orgIds || filter.asOf) return undefined;
  return JSON.stringify([
    orgIds,
    filter.repoId ?? null,
    filter.orgId ?? null,
    filter.findingId ?? null,
    filter.severities ?? null,
    filter.ecosystem ?? null,
    filter.statuses ?? null,
    filter.packageName ?? null,
    filter.advisory ?? null,
  ]);
}

/**
 * A page of findings in one query, without building entities: the hottest read of the API. The
 * query builder applies the entity manager's filters, so on a tenant-scoped manager the org
 * condition is there as on every other read. With `orgId`, only connected repositories' findings,
 * each with its repository's name. With `totals`, a long list's total may come from there instead
 * of being counted again.
 */
export async function findingPage(
  em: EntityManager,
  filter: FindingPageFilter,
  totals?: FindingTotals,
): Promise<{ rows: FindingRow[]; total: number | null; next: FindingPosition | null }> {
  const asOf = filter.asOf ?? new Date();
  const wantsTotal = filter.withTotal ?? true;
  const key = wantsTotal && totals ? totalKey(em, filter) : undefined;
  const held = key === undefined ? undefined : totals?.get(key);
  const withTotal = wantsTotal && held === undefined;
  const sort = filter.sort ?? DEFAULT_SORT;
  // Every value the statement binds, by name, each bound only when given (as the filters are).
  const bound: [string, TemplateValue][] = [['asOf', asOf]];
  const bind = (name: string, value: TemplateValue | undefined) => {
    if (value !== undefined && value !== '') bound.push([name, value]);
  };
  bind('repoId', filter.repoId);
  bind('orgId', filter.orgId);
  bind('findingId', filter.findingId);
  bind('ecosystem', filter.ecosystem);
  bind('packageName', filter.packageName);
  if (filter.advisory) {
    bind('advisory', filter.advisory);
    bind('advisoryJson', JSON.stringify([filter.advisory]));
  }
  filter.severities?.forEach((severity, i) => bound.push([`severity${i}`, severity]));
  if (filter.after) {
    // A position's every field is bound, whatever its value: a package named '' is still a place
    // in the list (an empty filter value, above, means no filter; an empty position does not).
    const { severityRank, firstSeen, packageName, id } = filter.after;
    bound.push(['afterRank', severityRank], ['afterFirstSeen', firstSeen], ['afterPackage', packageName]);
    bound.push(['afterId', id]);
  }
  // One more than the page: whether a next page exists, without counting.
  bind('limit', filter.limit + 1);
  bind('offset', filter.after ? 0 : filter.offset);
  const shape: PageShape = {
    severities: filter.severities?.length ?? null,
    statuses: filter.statuses ?? null,
    sort,
    withTotal,
  };
  const statement = (values: readonly TemplateValue[]) =>
    pageStatement(em, Object.fromEntries(bound.map(([name], i) => [name, values[i]])), shape);
  const read = await PAGE_STATEMENTS.rows<ReadRow>(
    em,
    JSON.stringify([bound.map(([name]) => name), shape]),
    bound.map(([, value]) => value),
    statement,
  );
  const more = read.length > filter.limit;
  const rows = more ? read.slice(0, filter.limit) : read;
  const next = more ? positionOf(rows[rows.length - 1]!) : null;
  // The rows as read: their extra columns (total_count, severity_rank, first_seen_key) are never
  // read from a FindingRow, and copying 50 rows of 35 columns without them cost a copy of the page.
  const page: FindingRow[] = rows;
  if (!wantsTotal) return { rows: page, total: null, next };
  if (held !== undefined) return { rows: page, total: held, next };
  let total: number;
  if (rows.length === 0) {
    // No row to carry the count (an empty list, or a page past the end): ask for it alone.
    const { count } = await statement(bound.map(([, value]) => value));
    const [counted] = await preparedRows<{ n: string | number }>(em, count);
    total = Number(counted?.n ?? 0);
  } else {
    total = Number(rows[0]!.total_count);
  }
  if (key !== undefined) totals?.remember(key, total);
  return { rows: page, total, next };
}

/** What a page statement's text depends on beyond which values are given. */
interface PageShape {
  /** How many severities `severity0`… name; null: no severity filter. */
  readonly severities: number | null;
  readonly statuses: readonly string[] | null;
  readonly sort: FindingSort;
  readonly withTotal: boolean;
}

/** Page statements, built once per shape and tenant scope (StatementTemplates). */
const PAGE_STATEMENTS = new StatementTemplates();

/** The page's statement, and its count alone, over the values `findingPage` names. */
async function pageStatement(
  em: EntityManager,
  v: Readonly<Record<string, TemplateValue | undefined>>,
  shape: PageShape,
): Promise<{ query: Knex.QueryBuilder; count: Knex.QueryBuilder }> {
  const text = (name: string) => v[name] as string | undefined;
  const asOf = v['asOf'] as Date;
  const where: FilterQuery<FindingEntity> = {};
  if (text('repoId')) where.repoId = text('repoId');
  if (text('orgId')) where.orgId = text('orgId');
  if (text('findingId')) where.id = text('findingId');
  if (shape.severities !== null) {
    where.severity = { $in: Array.from({ length: shape.severities }, (_, i) => text(`severity${i}`)!) };
  }
  if (text('ecosystem')) where.ecosystem = text('ecosystem');

  const filtered = em.createQueryBuilder(FindingEntity, 'f').where(where);
  await filtered.applyFilters();
  const base = filtered.getKnexQuery().clearSelect();
  if (shape.statuses) {
    const statuses = statusCondition(shape.statuses, asOf);
    base.whereRaw(statuses.sql, statuses.bindings);
  }
  // Served by findings_org_id_lower_package_name_index across an org, by the repo's own index otherwise.
  if (text('packageName')) base.whereRaw('lower(f.package_name) = lower(?)', [text('packageName')!]);
  if (text('advisory')) {
    // Either index answers: findings_org_id_vulnerability_id_index or findings_aliases_index (GIN).
    base.whereRaw('(f.vulnerability_id = ? or f.aliases @> ?::jsonb)', [
      text('advisory')!,
      text('advisoryJson')!,
    ]);
  }
  if (text('orgId')) base.join('repositories as r', 'r.id', 'f.repo_id');

  const { sort, withTotal } = shape;
  const count = base.clone().count({ n: '*' });
  const query = base.clone();
  if (v['afterId'] !== undefined) {
    const after: FindingPosition = {
      severityRank: v['afterRank'] as number,
      firstSeen: text('afterFirstSeen')!,
      packageName: text('afterPackage')!,
      id: text('afterId')!,
    };
    const [sql, bindings] = AFTER[sort.key](sort.direction, after);
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
      ...(text('orgId') ? ['r.owner as repo_owner', 'r.name as repo_name'] : []),
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
    .limit(v['limit'] as number)
    .offset(v['offset'] as number);
  return { query, count };
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
