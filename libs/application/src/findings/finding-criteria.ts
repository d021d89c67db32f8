import {
  atLeast,
  FINDING_STATUSES,
  SEVERITIES,
  type FindingFilter,
  type FindingSort,
  type Severity,
} from '@repoguard/domain';

/** What `status` may ask for: one status, or `all`. Derived from the domain's list. */
export const FINDING_STATUS_CHOICES = [...FINDING_STATUSES, 'all'] as const;
export type FindingStatusChoice = (typeof FINDING_STATUS_CHOICES)[number];

/** How a caller narrows and orders a list of findings (the repository's or the org's). */
export interface FindingCriteria {
  /** This severity and above; UNKNOWN is below LOW but means exactly UNKNOWN, not "everything". */
  readonly severity?: Severity;
  /** Default `open`: what needs attention. */
  readonly status?: FindingStatusChoice;
  readonly ecosystem?: string;
  /** Any case. */
  readonly packageName?: string;
  readonly sort?: FindingSort;
}

/** The severities a threshold selects. */
export function severitiesFrom(threshold: Severity): Severity[] {
  if (threshold === 'UNKNOWN') return ['UNKNOWN'];
  return SEVERITIES.filter((s) => s !== 'UNKNOWN' && atLeast(s, threshold));
}

export function findingFilterOf(criteria: FindingCriteria): FindingFilter {
  const status = criteria.status ?? 'open';
  return {
    ...(criteria.severity ? { severities: severitiesFrom(criteria.severity) } : {}),
    ...(status === 'all' ? {} : { statuses: [status] }),
    ...(criteria.ecosystem ? { ecosystem: criteria.ecosystem } : {}),
    ...(criteria.packageName ? { packageName: criteria.packageName } : {}),
    ...(criteria.sort ? { sort: criteria.sort } : {}),
  };
}
