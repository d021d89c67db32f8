import type { CurrentFinding } from './current-finding';
import type { DesiredFinding } from './desired-finding';
import type { UnreadManifests } from '../dependency/snapshot-completeness';

export interface FindingSyncResult {
  readonly opened: number;
  readonly stillOpen: number;
  /** Of those closed, how many because their advisory was withdrawn (not counted in fixed). */
  readonly withdrawn: number;
  readonly fixed: number;
  /**
   * Set when nothing was written because a scan that started after the syncing one had already
   * persisted (or was persisting) its own snapshot: the id of that newer scan.
   */
  readonly supersededBy?: string;
}

export interface FindingRepository {
  /**
   * Makes the repo's findings match the snapshot: upserts the desired ones (first_seen kept,
   * last_seen moved; one that was closed takes its triage decision back while it holds, an ignore
   * past its expiry opens), marks those no longer present `withdrawn` when their advisory is among
   * `withdrawnAdvisories`, else `fixed`, except those in `unreadManifests` (a manifest this
   * snapshot could not read, or every one when nothing was read): they stay as they are, since
   * the snapshot cannot say they are gone (a withdrawn advisory still closes them). Idempotent. Refuses with
   * REPO_DISCONNECTED, writing nothing, once the repository is gone. Given the syncing scan's id,
   * writes nothing (and answers `supersededBy`) when a newer scan of the repository has reached its
   * persist step: checked in the write's own transaction, under a per-repository lock that every
   * sync and every scan completion takes, so an overtaken scan never writes over a newer one.
   */
  sync(input: {
    orgId: string;
    repoId: string;
    snapshotId: string;
    scanId?: string;
    findings: readonly DesiredFinding[];
    withdrawnAdvisories?: readonly string[];
    unreadManifests?: UnreadManifests;
    now: Date;
  }): Promise<FindingSyncResult>;
  /** Open and ignored findings of the repo, for the policy. */
  current(repoId: string): Promise<CurrentFinding[]>;
}
