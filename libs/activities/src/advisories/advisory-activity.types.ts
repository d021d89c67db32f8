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
  /** Requests recorded by this call (a repeated one, already asked for by this run, not counted). */
  readonly requested: number;
}

/** What a request-page attempt heartbeats: the place of the first target not requested yet. */
export interface RequestRematchPageProgress {
  readonly nextSeq: number;
}
