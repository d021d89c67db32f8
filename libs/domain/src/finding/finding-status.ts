import type { VexState } from './vex-analysis';

/**
 * Open and ignored findings are in the repository; fixed and withdrawn ones stay on record: fixed
 * when the dependency moved on, withdrawn when the advisory's source took the advisory back.
 */
export const FINDING_STATUSES = ['open', 'ignored', 'fixed', 'withdrawn'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export type ClosedFindingStatus = Extract<FindingStatus, 'fixed' | 'withdrawn'>;

/** A triage decision: ignore (with a reason, maybe until a date) or open again. */
export type TriageStatus = 'open' | 'ignored';

/** An ignore holds until its expiry, exclusive: at the expiry itself the finding is open again. */
export function ignoreHolds(expiresAt: Date | null, now: Date): boolean {
  return expiresAt === null || expiresAt.getTime() > now.getTime();
}

/**
 * What a finding is now: an ignore past its expiry is open again, whether or not the stored row
 * has caught up yet (the read model applies the same rule in SQL).
 */
export function effectiveFindingStatus(
  finding: { readonly status: FindingStatus; readonly triageExpiresAt: Date | null },
  now: Date,
): FindingStatus {
  return finding.status === 'ignored' && !ignoreHolds(finding.triageExpiresAt, now) ? 'open' : finding.status;
}

/**
 * The status of a fixed or withdrawn finding that a later scan sees again: the triage decision it
 * had applies again while it holds, except `resolved` (it was said to be fixed, and it is back: a
 * regression is open). The findings sync applies the same rule in SQL.
 */
export function reappearedFindingStatus(
  triage: {
    readonly triageStatus: TriageStatus | null;
    readonly triageState?: VexState | null;
    readonly triageExpiresAt: Date | null;
  },
  now: Date,
): TriageStatus {
  return triage.triageStatus === 'ignored' &&
    triage.triageState !== 'resolved' &&
    ignoreHolds(triage.triageExpiresAt, now)
    ? 'ignored'
    : 'open';
}

/**
 * Why a finding that a scan no longer sees is closed: withdrawn when its advisory was withdrawn,
 * else fixed (the dependency was upgraded or removed).
 */
export function closedFindingStatus(
  vulnerabilityId: string,
  withdrawnAdvisories: ReadonlySet<string>,
): ClosedFindingStatus {
  return withdrawnAdvisories.has(vulnerabilityId) ? 'withdrawn' : 'fixed';
}
