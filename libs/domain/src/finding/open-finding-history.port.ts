import type { OpenFindingChange } from './open-finding-trend';

/**
 * Open findings per severity, repository and UTC day: the day's last count of each repository,
 * written whenever its findings change (a scan's sync, a triage decision, an ignore that lapses).
 */
export interface OpenFindingHistory {
  /**
   * Counts the repository's open findings as they are now (an ignore past `at` counts as open) and
   * keeps them as the count of `at`'s UTC day, replacing an earlier count of that day. Takes the
   * repository's outcome lock, so a count never lands after a later change's. Nothing for a
   * repository that is gone.
   */
  record(repoId: string, at: Date): Promise<void>;
  /**
   * How the org's total moved, per UTC day from `from` to `to` (YYYY-MM-DD, inclusive), over its
   * connected repositories: the first change, dated the day before `from`, is where each
   * repository stood then (its last count before `from`); carryForward turns them into one point a day.
   */
  changes(orgId: string, from: string, to: string): Promise<OpenFindingChange[]>;
}
