import {
  ConflictError,
  DomainError,
  NotFoundError,
  type Repository,
  type ScanRequestDetails,
  type ScanRequester,
  type ScanRequestReceipt,
  type ScanRouting,
  type ScanTrigger,
  type Stores,
  type UnitOfWork,
} from '@repoguard/domain';
import { callerName, type Caller } from '../shared/caller';

export interface RequestScanCommand {
  readonly caller: Caller;
  readonly repoId: string;
  readonly trigger: ScanTrigger;
  /** Default: the caller's name (`user:<id>`, `api_key:<id>`). */
  readonly requestedBy?: string;
  readonly ref?: string;
  readonly commitSha?: string;
  readonly deliveryId?: string;
  /** trigger `advisory`: the stored snapshot to match again, and the queue its steps run on. */
  readonly snapshotId?: string;
  readonly stepsTaskQueue?: string;
  /** Where the scan workflow starts when none runs; the requester's own by default. */
  readonly routing?: ScanRouting;
  /**
   * Ask the workflow which scan serves the request and queue its row (the API answers with the
   * scan id). Needs a worker to answer, so pushes and re-matches leave the row to the worker.
   */
  readonly identifyScan?: boolean;
}

export interface ScanRequested {
  /** Null when not asked for (`identifyScan`) or when the workflow did not tell in time. */
  readonly scanId: string | null;
  readonly workflowId: string;
  /** The run serving the request when known, else the run it reached. */
  readonly runId: string;
  /** True when the request joined a scan someone else had asked for. */
  readonly deduplicated: boolean;
}

interface SentRequest {
  readonly receipt: ScanRequestReceipt;
  readonly requestedBy: string;
  readonly scanId: string | null;
  readonly runId: string | null;
}

/**
 * Signals the repository's scan workflow (starting it if none runs) and records the request: the
 * QUEUED scan row when the scan is known, and the audit row. One path for the API, push webhooks
 * and advisory re-matches.
 */
export class RequestScan {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly requester: ScanRequester,
    private readonly newRequestId: () => string,
  ) {}

  /**
   * The API's path. Temporal is asked outside any transaction (the assignment query may wait
   * seconds for a worker): a pooled connection is held only to read the repository and, after,
   * to write the scan row and the audit row together.
   */
  async execute(command: RequestScanCommand): Promise<ScanRequested> {
    const { scope } = command.caller;
    const repo = await this.uow.read(scope, (stores) => this.scannable(stores, command.repoId));
    const sent = await this.send(repo, command);
    return this.uow.transaction(scope, (stores) => this.record(stores, repo, sent, command));
  }

  /**
   * Within a unit of work the caller opened (a webhook delivery's): when Temporal refuses, the
   * caller's transaction rolls back with the error.
   */
  async executeIn(stores: Stores, command: RequestScanCommand): Promise<ScanRequested> {
    const repo = await this.scannable(stores, command.repoId);
    return this.record(stores, repo, await this.send(repo, command), command);
  }

  private async scannable(stores: Stores, repoId: string): Promise<Repository> {
    const repo = await stores.repositories.get(repoId);
    if (!repo) throw new NotFoundError('REPO_NOT_FOUND', `No repository with id ${repoId}`);
    if (repo.disabledAt) {
      throw new ConflictError(
        'REPO_DISABLED',
        `${repo.owner}/${repo.name} is ${repo.disabledReason ?? 'disabled'}: it is not scanned`,
      );
    }
    return repo;
  }

  /** Signals the workflow and, when asked to, learns which scan serves the request. */
  private async send(repo: Repository, command: RequestScanCommand): Promise<SentRequest> {
    const { caller, trigger } = command;
    // Only a request whose scan we ask for needs an id the workflow remembers.
    const requestId = command.identifyScan ? this.newRequestId() : undefined;
    const requestedBy = command.requestedBy ?? callerName(caller);
    const correlationId = caller.actor.correlationId;
    const details: ScanRequestDetails = {
      trigger,
      requestedBy,
      ...(requestId ? { requestId } : {}),
      ...(command.commitSha ? { commitSha: command.commitSha } : {}),
      ...(command.ref ? { ref: command.ref } : {}),
      ...(command.deliveryId ? { deliveryId: command.deliveryId } : {}),
      ...(correlationId ? { correlationId } : {}),
      ...(command.snapshotId ? { snapshotId: command.snapshotId } : {}),
      ...(command.stepsTaskQueue ? { taskQueue: command.stepsTaskQueue } : {}),
    };
    const target = { orgId: repo.orgId, repoId: repo.id, owner: repo.owner, name: repo.name };
    const receipt = await this.requester.request(target, details, command.routing).catch((error: unknown) => {
      // Nothing was queued: the caller may retry safely (a repeated request joins the same scan).
      throw new DomainError(
        'unavailable',
        'TEMPORAL_UNAVAILABLE',
        `Could not queue the scan: Temporal did not accept it (${String(error)})`,
      );
    });
    const assignment = requestId ? await this.requester.assignment(receipt, requestId) : null;
    return {
      receipt,
      requestedBy,
      scanId: assignment?.scanId ?? null,
      runId: assignment?.servedByThisRun ? receipt.runId : null,
    };
  }

  /** The QUEUED scan row (when the scan is known) and the audit row, in the given unit of work. */
  private async record(
    stores: Stores,
    repo: Repository,
    { receipt, requestedBy, scanId, runId }: SentRequest,
    command: RequestScanCommand,
  ): Promise<ScanRequested> {
    const { caller, trigger } = command;
    const inserted = scanId
      ? await stores.scans.queue({
          scanId,
          orgId: repo.orgId,
          repoId: repo.id,
          workflowId: receipt.workflowId,
          runId,
          trigger,
          requestedBy,
          ref: command.ref ?? null,
        })
      : true;
    stores.audit.record(caller.actor, {
      orgId: repo.orgId,
      action: 'scan.requested',
      targetType: 'repository',
      targetId: repo.id,
      metadata: {
        trigger,
        scan_id: scanId,
        workflow_id: receipt.workflowId,
        run_id: receipt.runId,
        ref: command.ref ?? null,
        ...(command.commitSha ? { commit_sha: command.commitSha } : {}),
        ...(command.deliveryId ? { delivery_id: command.deliveryId } : {}),
        ...(command.snapshotId ? { snapshot_id: command.snapshotId } : {}),
      },
    });
    return { scanId, workflowId: receipt.workflowId, runId: runId ?? receipt.runId, deduplicated: !inserted };
  }
}
