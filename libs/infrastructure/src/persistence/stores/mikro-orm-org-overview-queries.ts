import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import {
  SEVERITIES,
  isSeverity,
  type OrgOverviewQueries,
  type OrgRecentScan,
  type RepoStatus,
  type SeverityCounts,
} from '@repoguard/domain';
import { orgInScope } from '../tenant-scope';

const REPO_STATUSES: readonly RepoStatus[] = ['FAIL', 'WARN', 'OK', 'PENDING', 'ERROR'];

interface ScanRow {
  id: string;
  repo_id: string;
  owner: string;
  name: string;
  status: string;
  trigger: string;
  created_at: Date | string;
  started_at: Date | string | null;
  completed_at: Date | string | null;
  error_code: string | null;
  verdict: 'OK' | 'WARN' | 'FAIL' | null;
}

const dateOf = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/**
 * Plain SQL (knex), which the tenant filter does not reach: each query checks its org against the
 * manager's scope first and answers as for an org with nothing in it.
 */
export class MikroOrmOrgOverviewQueries implements OrgOverviewQueries {
  constructor(private readonly em: EntityManager) {}

  async repositoriesByStatus(orgId: string): Promise<Readonly<Record<RepoStatus, number>>> {
    const counts = Object.fromEntries(REPO_STATUSES.map((s) => [s, 0])) as Record<RepoStatus, number>;
    if (!orgInScope(this.em, orgId)) return counts;
    const rows = (await this.run(
      this.knex()('repositories')
        .where({ org_id: orgId })
        .select('status')
        .count({ n: '*' })
        .groupBy('status'),
    )) as { status: string; n: string | number }[];
    for (const row of rows) {
      if ((REPO_STATUSES as readonly string[]).includes(row.status))
        counts[row.status as RepoStatus] += Number(row.n);
    }
    return counts;
  }

  async openFindings(orgId: string, asOf: Date): Promise<SeverityCounts> {
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<keyof SeverityCounts, number>;
    if (!orgInScope(this.em, orgId)) return counts;
    // Connected repositories only, as the repository list and the org-wide search count them.
    const rows = (await this.run(
      this.knex()('findings as f')
        .join('repositories as r', 'r.id', 'f.repo_id')
        .where('f.org_id', orgId)
        .whereIn('f.status', ['open', 'ignored'])
        .whereRaw(`(f.status = 'open' or f.triage_expires_at <= ?)`, [asOf])
        .select('f.severity')
        .count({ n: '*' })
        .groupBy('f.severity'),
    )) as { severity: string; n: string | number }[];
    for (const row of rows) counts[isSeverity(row.severity) ? row.severity : 'UNKNOWN'] += Number(row.n);
    return counts;
  }

  async recentScans(orgId: string, limit: number): Promise<OrgRecentScan[]> {
    if (!orgInScope(this.em, orgId)) return [];
    const rows = (await this.run(
      this.knex()('scans as s')
        .join('repositories as r', 'r.id', 's.repo_id')
        .leftJoin('policy_evaluations as p', 'p.scan_id', 's.id')
        .where('s.org_id', orgId)
        .orderBy([
          { column: 's.created_at', order: 'desc' },
          { column: 's.id', order: 'asc' },
        ])
        .limit(limit)
        .select(
          's.id',
          's.repo_id',
          'r.owner',
          'r.name',
          's.status',
          's.trigger',
          's.created_at',
          's.started_at',
          's.completed_at',
          's.error_code',
          'p.status as verdict',
        ),
    )) as ScanRow[];
    return rows.map((row) => ({
      id: row.id,
      repoId: row.repo_id,
      repoFullName: `${row.owner}/${row.name}`,
      status: row.status,
      trigger: row.trigger,
      createdAt: new Date(row.created_at),
      startedAt: dateOf(row.started_at),
      completedAt: dateOf(row.completed_at),
      errorCode: row.error_code,
      verdict: row.verdict,
    }));
  }

  private knex(): Knex {
    return this.em.getKnex();
  }

  /** In the unit of work's transaction when it has one. */
  private run<T extends Knex.QueryBuilder>(query: T): Promise<unknown> {
    const trx = this.em.getTransactionContext<Knex.Transaction>();
    return Promise.resolve(trx ? query.transacting(trx) : query);
  }
}
