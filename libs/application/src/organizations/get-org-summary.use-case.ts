import {
  DEFAULT_POLICY,
  carryForward,
  judgeFindings,
  lastDays,
  type Clock,
  type OpenFindingPoint,
  type OrgListedFinding,
  type OrgRecentScan,
  type PolicyReason,
  type RepoStatus,
  type Repository,
  type SeverityCounts,
  type Stores,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface GetOrgSummaryCommand {
  readonly caller: OrgCaller;
}

/** Days in the trend, today's included. */
export const TREND_DAYS = 90;
/** Failing and warning repositories given with their reasons (each is judged now). */
export const ATTENTION_LIMIT = 50;
export const NEWEST_CRITICAL_LIMIT = 5;
export const RECENT_SCANS_LIMIT = 10;

/** A repository failing or warning under the current policy, and why. */
export interface RepositoryNeedingAttention {
  readonly repo: Repository;
  readonly openFindings: SeverityCounts;
  readonly reasons: readonly PolicyReason[];
}

export interface OrgSummary {
  readonly asOf: Date;
  readonly repositoriesByStatus: Readonly<Record<RepoStatus, number>>;
  /** FAIL first, then WARN; `total` of them all, `items` up to ATTENTION_LIMIT. */
  readonly attention: { readonly items: RepositoryNeedingAttention[]; readonly total: number };
  readonly openFindings: SeverityCounts;
  /** One point per UTC day, the oldest first, today last. */
  readonly trend: OpenFindingPoint[];
  readonly newestCritical: OrgListedFinding[];
  readonly recentScans: OrgRecentScan[];
}

/**
 * The org's overview in one read: repositories by status (the failing and warning ones with their
 * reasons under the current policy), open findings by severity, their last 90 days, the newest
 * critical findings and the latest scans. Only connected repositories count.
 */
export class GetOrgSummary {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  execute({ caller }: GetOrgSummaryCommand): Promise<OrgSummary> {
    const { orgId } = caller;
    const now = this.clock.now();
    return this.uow.read(caller.scope, async (stores) => {
      const { orgOverview, openFindingHistory, findingQueries } = stores;
      const byStatus = await orgOverview.repositoriesByStatus(orgId);
      const { from, to } = lastDays(now, TREND_DAYS);
      return {
        asOf: now,
        repositoriesByStatus: byStatus,
        attention: {
          items: await this.needingAttention(stores, orgId, now),
          total: byStatus.FAIL + byStatus.WARN,
        },
        openFindings: await orgOverview.openFindings(orgId, now),
        trend: carryForward(await openFindingHistory.changes(orgId, from, to), from, to),
        newestCritical: (
          await findingQueries.search(
            {
              orgId,
              severities: ['CRITICAL'],
              statuses: ['open'],
              sort: { key: 'first_seen', direction: 'desc' },
              asOf: now,
            },
            { limit: NEWEST_CRITICAL_LIMIT, offset: 0 },
          )
        ).items,
        recentScans: await orgOverview.recentScans(orgId, RECENT_SCANS_LIMIT),
      };
    });
  }

  private async needingAttention(
    { repositories, findingQueries, policies, scannedState }: Stores,
    orgId: string,
    now: Date,
  ): Promise<RepositoryNeedingAttention[]> {
    const repos: Repository[] = [];
    for (const status of ['FAIL', 'WARN'] as const) {
      const left = ATTENTION_LIMIT - repos.length;
      if (left > 0)
        repos.push(...(await repositories.list(orgId, { status }, { limit: left, offset: 0 })).items);
    }
    if (repos.length === 0) return [];
    const counts = await findingQueries.openCountsBySeverity(repos.map((r) => r.id));
    const rules = (await policies.latest(orgId))?.rules ?? DEFAULT_POLICY;
    const items: RepositoryNeedingAttention[] = [];
    for (const repo of repos) {
      // As GET /policies/evaluation judges it: the stored status may predate a lapsed ignore.
      const state = await scannedState.lastScanned(repo.id);
      const reasons = state
        ? judgeFindings(rules, state.findings, state.dependencies, now, state.completeness).reasons
        : [];
      items.push({ repo, openFindings: counts.get(repo.id)!, reasons });
    }
    return items;
  }
}
