import type { ScanRequest } from '@repoguard/contract';
import type { RematchTarget } from '@repoguard/domain';

/** Sends a scan request to a repository's workflow (starting it when none runs). */
export interface ScanRequestSender {
  requestScan(
    target: Pick<RematchTarget, 'orgId' | 'repoId' | 'owner' | 'name'>,
    request: ScanRequest,
    options: { readonly taskQueue: string; readonly timing?: ScanTiming },
  ): Promise<void>;
}

export interface ScanTiming {
  readonly quietWindowMs?: number;
  readonly maxWaitMs?: number;
  readonly heartbeatTimeoutMs?: number;
}

export interface RequestRematchScansInput {
  readonly targets: readonly RematchTarget[];
  readonly scanTaskQueue: string;
  readonly rematchTaskQueue: string;
  readonly scanTiming?: ScanTiming;
  /** The sync's workflow id: the requests' correlation id and requester. */
  readonly syncId: string;
}
