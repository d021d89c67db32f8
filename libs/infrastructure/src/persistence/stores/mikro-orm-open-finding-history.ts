import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import {
  dayBefore,
  utcDay,
  type OpenFindingChange,
  type OpenFindingHistory,
  type SeverityCounts,
} from '@repoguard/domain';
import { holdScanOutcome } from '../repositories/scan-outcome-lock';
import { orgInScope, scopedOrgIds } from '../tenant-scope';

/** Open as the findings list counts it: an ignore past its expiry is open. */
const OPEN_AT = `(f.status = 'open' or (f.status = 'ignored' and f.triage_expires_at <= :at))`;

const RECORD_DAY = `
  insert into open_finding_days (repo_id, day, org_id, critical, high, medium, low, unknown, recorded_at)
  select r.id, :day::date, r.org_id,
    count(f.id) filter (where f.severity = 'CRITICAL'),
    count(f.id) filter (where f.severity = 'HIGH'),
    count(f.id) filter (where f.severity = 'MEDIUM'),
    count(f.id) filter (where f.severity = 'LOW'),
    count(f.id) filter (where f.severity not in ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    :at
  from repositories r
  left join findings f on f.repo_id = r.id and ${OPEN_AT}
  where r.id = :repoId
  group by r.id, r.org_id
  on conflict (repo_id, day) do update set
    critical = excluded.critical, high = excluded.high, medium = excluded.medium,
    low = excluded.low, unknown = excluded.unknown, recorded_at = excluded.recorded_at`;

/**
 * Each connected repository's rows in the window, and its last row before it (dated the day before
 * the window); then what each row changed against the repository's previous one, summed per day.
 */
const CHANGES = `
  with connected as (
    select id from repositories where org_id = :orgId
  ), kept as (
    select h.repo_id, h.day, h.critical, h.high, h.medium, h.low, h.unknown
      from open_finding_days h join connected c on c.id = h.repo_id
     where h.org_id = :orgId and h.day between :from::date and :to::date
    union all
    -- Each repository's last row before the window, found by the (org_id, repo_id, day) index
    -- read backwards, so the older history is never read.
    select c.id as repo_id, :before::date as day, b.critical, b.high, b.medium, b.low, b.unknown
      from connected c cross join lateral (
        select h.critical, h.high, h.medium, h.low, h.unknown
          from open_finding_days h
         where h.org_id = :orgId and h.repo_id = c.id and h.day < :from::date
         order by h.day desc limit 1
      ) b
  ), changed as (
    select day,
      critical - coalesce(lag(critical) over w, 0) as critical,
      high - coalesce(lag(high) over w, 0) as high,
      medium - coalesce(lag(medium) over w, 0) as medium,
      low - coalesce(lag(low) over w, 0) as low,
      unknown - coalesce(lag(unknown) over w, 0) as unknown
    from kept
    window w as (partition by repo_id order by day)
  )
  select to_char(day, 'YYYY-MM-DD') as day, sum(critical)::int as critical, sum(high)::int as high,
    sum(medium)::int as medium, sum(low)::int as low, sum(unknown)::int as unknown
  from changed group by day order by day`;

interface ChangeRow {
  day: string;
  critical: number;
  high: number;
  medium: number;
  low: number;
  unknown: number;
}

export class MikroOrmOpenFindingHistory implements OpenFindingHistory {
  constructor(private readonly em: EntityManager) {}

  async record(repoId: string, at: Date): Promise<void> {
    // Under the lock every writer of the repository's findings holds: a count read before a
    // decision committed cannot land after that decision's own count.
    const write = async (trx: Knex.Transaction) => {
      if (!(await this.mayCount(trx, repoId))) return;
      await holdScanOutcome(trx, repoId);
      await trx.raw(RECORD_DAY, { day: utcDay(at), at, repoId });
    };
    const current = this.em.getTransactionContext<Knex.Transaction>();
    if (current) await write(current);
    else await this.em.getKnex().transaction(write);
  }

  /**
   * Plain SQL, out of the tenant filter's reach: a scoped caller counts its orgs' repositories
   * only. The system's own work (the scan's persist step) has no scope and asks nothing more.
   */
  private async mayCount(trx: Knex.Transaction, repoId: string): Promise<boolean> {
    if (scopedOrgIds(this.em) === undefined) return true;
    const owner = (await trx('repositories').where({ id: repoId }).first('org_id')) as
      { org_id: string } | undefined;
    return owner !== undefined && orgInScope(this.em, owner.org_id);
  }

  async changes(orgId: string, from: string, to: string): Promise<OpenFindingChange[]> {
    if (!orgInScope(this.em, orgId)) return [];
    const knex = this.em.getKnex();
    const trx = this.em.getTransactionContext<Knex.Transaction>();
    const query = knex.raw(CHANGES, { orgId, from, to, before: dayBefore(from) });
    const result = (await (trx ? query.transacting(trx) : query)) as { rows: ChangeRow[] };
    return result.rows.map((row) => ({ day: row.day, counts: countsOf(row) }));
  }
}

const countsOf = (row: Omit<ChangeRow, 'day'>): SeverityCounts => ({
  CRITICAL: Number(row.critical),
  HIGH: Number(row.high),
  MEDIUM: Number(row.medium),
  LOW: Number(row.low),
  UNKNOWN: Number(row.unknown),
});
