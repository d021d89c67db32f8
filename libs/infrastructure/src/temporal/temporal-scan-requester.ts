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
  scanFairnessKey,
  scanForRequestQuery,
  scanRequestedSignal,
  type ScanRequest,
} from '@repoguard/contract';
import type {
  ScanAssignment,
  ScanRequestDetails,
  ScanRequester,
  ScanRequestReceipt,
  ScanRouting,
  ScanTarget,
  ScanTiming,
} from '@repoguard/domain';

/**
 * Sends a scan request to the repository's workflow, starting it when none runs
 * (signal-with-start, USE_EXISTING): concurrent requests for one repo join one scan. The API
 * hands it its client; an activity hands it a getter of the client its context carries.
 */
export class TemporalScanRequester implements ScanRequester {
  constructor(
    private readonly client: Client | (() => Client),
    private readonly taskQueue: string,
    private readonly timing: ScanTiming = {},
    private readonly warn: (message: string) => void = () => undefined,
    private readonly assignmentTimeoutMs = 5_000,
  ) {}

  async request(
    target: ScanTarget,
    details: ScanRequestDetails,
    routing: ScanRouting = {},
  ): Promise<ScanRequestReceipt> {
    // The contract's ScanRequest is the wire format; the port's type mirrors it field for field.
    const request: ScanRequest = details;
    const workflowId = repoScanWorkflowId(target.repoId);
    const fullName = `${target.owner}/${target.name}`;
    const handle = await this.temporal().workflow.signalWithStart(REPO_SCAN_WORKFLOW, {
      workflowId,
      taskQueue: routing.taskQueue ?? this.taskQueue,
      args: [{ ...target, ...(routing.timing ?? this.timing) }],
      signal: scanRequestedSignal,
      signalArgs: [request],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      // Its workflow tasks (and its steps, which inherit it) are handed out to the orgs in turn.
      priority: { fairnessKey: scanFairnessKey(target.orgId) },
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
   * Asks the run the request reached; when that run had already started scanning, it names the
   * follow-up run's scan. Needs a worker to answer: null after the timeout or on a failed query.
   */
  async assignment(receipt: ScanRequestReceipt, requestId: string): Promise<ScanAssignment | null> {
    const handle = this.temporal().workflow.getHandle(receipt.workflowId, receipt.runId);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.assignmentTimeoutMs);
    });
    try {
      return await Promise.race([handle.query(scanForRequestQuery, requestId), timeout]);
    } catch (error) {
      this.warn(
        `Could not ask ${receipt.workflowId} which scan serves request ${requestId}: ${String(error)}`,
      );
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private temporal(): Client {
    return typeof this.client === 'function' ? this.client() : this.client;
  }
}
