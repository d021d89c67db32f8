import { isGrpcServiceError, type Client } from '@temporalio/client';
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
import {
  scanEngineUnavailable,
  type ScanAssignment,
  type ScanRequestDetails,
  type ScanRequester,
  type ScanRequestReceipt,
  type ScanRouting,
  type ScanTarget,
  type ScanTiming,
} from '@repoguard/domain';

// gRPC codes that say the request itself was refused (bad input, a missing namespace or search
// attribute): any other failure, or none from gRPC at all, is the engine being out of reach.
const REFUSALS_OF_THE_REQUEST = new Set([
  3, // INVALID_ARGUMENT
  5, // NOT_FOUND
  6, // ALREADY_EXISTS
  7, // PERMISSION_DENIED
  9, // FAILED_PRECONDITION
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);

function grpcCode(error: unknown): number | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return null;
}

/**
 * A failed call to Temporal as callers tell it apart: the request's own refusal as it is, any other
 * failure as the engine being out of reach (TEMPORAL_UNAVAILABLE: sent again once it is back).
 */
export function asEngineFailure(error: unknown, what: string): unknown {
  const code = grpcCode(error);
  if (code !== null && REFUSALS_OF_THE_REQUEST.has(code)) return error;
  return scanEngineUnavailable(`Temporal did not accept ${what}: ${(error as Error).message}`);
}

export interface TemporalScanRequesterOptions {
  readonly warn?: (message: string) => void;
  readonly assignmentTimeoutMs?: number;
  /**
   * Bounds each signal-with-start, retries included (the client retries an unreachable server for
   * about half a minute): past it the request fails as TEMPORAL_UNAVAILABLE. Unset: the client's own.
   */
  readonly requestTimeoutMs?: number;
}

/**
 * Sends a scan request to the repository's workflow, starting it when none runs
 * (signal-with-start, USE_EXISTING): concurrent requests for one repo join one scan. The API
 * hands it its client; an activity hands it a getter of the client its context carries.
 */
export class TemporalScanRequester implements ScanRequester {
  private readonly warn: (message: string) => void;
  private readonly assignmentTimeoutMs: number;

  constructor(
    private readonly client: Client | (() => Client),
    private readonly taskQueue: string,
    private readonly timing: ScanTiming = {},
    private readonly options: TemporalScanRequesterOptions = {},
  ) {
    this.warn = options.warn ?? (() => undefined);
    this.assignmentTimeoutMs = options.assignmentTimeoutMs ?? 5_000;
  }

  workflowIdFor(repoId: string): string {
    return repoScanWorkflowId(repoId);
  }

  async request(
    target: ScanTarget,
    details: ScanRequestDetails,
    routing: ScanRouting = {},
  ): Promise<ScanRequestReceipt> {
    // The contract's ScanRequest is the wire format; the port's type mirrors it field for field.
    const request: ScanRequest = details;
    const workflowId = repoScanWorkflowId(target.repoId);
    const fullName = `${target.owner}/${target.name}`;
    const client = this.temporal();
    const signalWithStart = () =>
      client.workflow.signalWithStart(REPO_SCAN_WORKFLOW, {
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
    const { requestTimeoutMs } = this.options;
    try {
      const handle =
        requestTimeoutMs === undefined
          ? await signalWithStart()
          : await client.withDeadline(Date.now() + requestTimeoutMs, signalWithStart);
      return { workflowId, runId: handle.signaledRunId };
    } catch (error) {
      throw asEngineFailure(error, 'the scan request');
    }
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
