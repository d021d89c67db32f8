import type { RematchTarget, ScanTiming } from '@repoguard/domain';

export interface RequestRematchScansInput {
  readonly targets: readonly RematchTarget[];
  readonly scanTaskQueue: string;
  readonly rematchTaskQueue: string;
  readonly scanTiming?: ScanTiming;
  /** The sync's workflow id: the requests' correlation id and requester. */
  readonly syncId: string;
}

export interface RequestRematchPageInput {
  /** The sync run whose stored targets these are (`<workflow id>@<first run id>`). */
  readonly syncRunId: string;
  /** The first target's place in the run's list (1-based) and how many to request at most. */
  readonly fromSeq: number;
  readonly limit: number;
  readonly scanTaskQueue: string;
  readonly rematchTaskQueue: string;
  readonly scanTiming?: ScanTiming;
}

export interface RequestRematchPageResult {
  /**
   * Targets of the page this run has asked to re-match (once each, whichever attempt asked);
   * repositories disabled or gone since are not counted.
   */
  readonly requested: number;
}

/** What a request-page attempt heartbeats: the first target not requested yet, and the count so far. */
export interface RequestRematchPageProgress {
  readonly nextSeq: number;
  readonly requested: number;
}
