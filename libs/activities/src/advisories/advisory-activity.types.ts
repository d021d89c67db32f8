import type { RematchTarget, ScanTiming } from '@repoguard/domain';

export interface RequestRematchScansInput {
  readonly targets: readonly RematchTarget[];
  readonly scanTaskQueue: string;
  readonly rematchTaskQueue: string;
  readonly scanTiming?: ScanTiming;
  /** The sync's workflow id: the requests' correlation id and requester. */
  readonly syncId: string;
}
