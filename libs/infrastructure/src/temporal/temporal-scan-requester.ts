import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import {
  REPO_SCAN_WORKFLOW,
  RepoGuardOrgId,
  RepoGuardRepo,
  RepoGuardRepoId,
  RepoGuardStatus,
  RepoGuardTrigger,
  repoScanWorkflowId,
  scanForRequestQuery,
  scanRequestedSignal,
  type ScanAssignment,
  type RepoScanInput,
  type ScanRequest,
} from '@repoguard/contract';

export interface ScanTarget {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
}

export interface ScanRequestReceipt {
  readonly workflowId: string;
  /** The run the request joined: a running scan's, or the one it started. */
  readonly runId: string;
}

/**
 * Sends a scan request to the repository's workflow, starting it when none runs
 * (signal-with-start, USE_EXISTING): concurrent requests for one repo join one scan.
 */
export class TemporalScanRequester {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly timing: Pick<RepoScanInput, 'quietWindowMs' | 'maxWaitMs' | 'heartbeatTimeoutMs'> = {},
  ) {}

  async request(target: ScanTarget, request: ScanRequest): Promise<ScanRequestReceipt> {
    const workflowId = repoScanWorkflowId(target.repoId);
    const fullName = `${target.owner}/${target.name}`;
    const handle = await this.client.workflow.signalWithStart(REPO_SCAN_WORKFLOW, {
      workflowId,
      taskQueue: this.taskQueue,
      args: [{ ...target, ...this.timing }],
      signal: scanRequestedSignal,
      signalArgs: [request],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [
        { key: RepoGuardOrgId, value: target.orgId },
        { key: RepoGuardRepoId, value: target.repoId },
        { key: RepoGuardRepo, value: fullName },
        { key: RepoGuardTrigger, value: request.trigger },
        { key: RepoGuardStatus, value: 'QUEUED' },
      ],
      staticSummary: `Scan ${fullName}${request.commitSha ? ` @ ${request.commitSha.slice(0, 7)}` : request.ref ? ` @ ${request.ref}` : ''}`,
      staticDetails: `Requested by ${request.requestedBy} (${request.trigger})`,
      // Read on a start only: a running scan takes the id of the request it scans (upsertMemo).
      ...(request.correlationId ? { memo: { correlationId: request.correlationId } } : {}),
    });
    return { workflowId, runId: handle.signaledRunId };
  }

  /**
   * Which scan will serve a request sent with a `requestId`: the run it reached, or (when that run
   * had already started scanning) the follow-up run. Needs a worker to answer; null after `timeoutMs`.
   */
  async assignment(
    receipt: ScanRequestReceipt,
    requestId: string,
    timeoutMs = 5_000,
  ): Promise<ScanAssignment | null> {
    const handle = this.client.workflow.getHandle(receipt.workflowId, receipt.runId);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      return await Promise.race([handle.query(scanForRequestQuery, requestId), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
