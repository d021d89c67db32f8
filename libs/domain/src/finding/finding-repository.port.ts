import type { CurrentFinding } from './current-finding';
import type { DesiredFinding } from './desired-finding';

export interface FindingSyncResult {
  readonly opened: number;
  readonly stillOpen: number;
  readonly fixed: number;
}

export interface FindingRepository {
  /**
   * Makes the repo's findings match the snapshot: upserts the desired ones (first_seen kept,
   * last_seen moved), marks those no longer present `fixed`. Idempotent. Refuses with
   * REPO_DISCONNECTED, writing nothing, once the repository is gone.
   */
  sync(input: {
    orgId: string;
    repoId: string;
    snapshotId: string;
    findings: readonly DesiredFinding[];
    now: Date;
  }): Promise<FindingSyncResult>;
  /** Open and ignored findings of the repo, for the policy. */
  current(repoId: string): Promise<CurrentFinding[]>;
}
