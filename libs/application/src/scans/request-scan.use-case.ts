import {
  ConflictError,
  NotFoundError,
  type Repository,
  type ScanRequestDetails,
  type ScanRequester,
  type ScanRequestReceipt,
  type ScanTrigger,
  type ScanRouting,
  type Stores,
  type UnitOfWork,
} from '@repoguard/domain';
import { callerName, type Caller } from '../shared/caller';
import type { RelayScanRequests } from './relay-scan-requests.use-case';

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
   * Once Temporal accepted the request, ask the workflow which scan serves it and queue its row
   * (the API answers with the scan id). Needs a worker to answer, so pushes and re-matches leave
   * the row to the worker.
   */
  readonly identifyScan?: boolean;
  /**
   * The request's id when the caller derives it (an advisory sync: its run + the snapshot), so a
   * retried caller asks once: a request with this id already held is neither audited nor sent again.
   */
  readonly requestId?: string;
}

export interface ScanRequested {
  /** The request's id in the outbox, and the id the workflow knows it by. */
  readonly requestId: string;
  /**
   * True when Temporal accepted the request before the answer; false when it waits in the outbox
   * (Temporal out of reach) and the relay sends it once Temporal is back.
   */
  readonly relayed: boolean;
  /** Null when not asked for (`identifyScan`), not relayed yet, or the workflow did not tell in time. */
  readonly scanId: string | null;
  readonly workflowId: string;
  /** The run serving the request when known, else the run it reached; null until relayed. */
  readonly runId: string | null;
  /** True when the request joined a scan someone else had asked for. */
  readonly deduplicated: boolean;
  /** True when the caller's `requestId` was already held: this call changed nothing. */
  readonly repeated?: boolean;
}

/**
 * Records a scan request: the request in the outbox and its audit row, in one transaction, which
 * the relay then hands to the repository's scan workflow (starting it if none runs). One path for
 * the API, push webhooks and advisory re-matches; no transaction is ever open across a call to
 * Temporal, and a request accepted while Temporal is down is sent when it is back.
 */
export class RequestScan {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly requester: ScanRequester,
    private readonly relay: RelayScanRequests,
    private readonly newRequestId: () => string,
  ) {}

  /**
   * The API's path: commits the request, then relays it at once (outside the transaction) and, when
   * Temporal accepts it, learns which scan serves it and queues that scan's row.
   */
  async execute(command: RequestScanCommand): Promise<ScanRequested> {
    const { scope } = command.caller;
    const relayNow = this.relay.relaysAtOnce;
    const queued = await this.uow.transaction(scope, async (stores) => {
      const repo = await this.scannable(stores, command.repoId);
      return { repo, ...(await this.enqueue(stores, repo, command, relayNow)) };
    });
    const { repo, requestId, repeated } = queued;
    const pending: ScanRequested = {
      requestId,
      relayed: false,
      scanId: null,
      workflowId: this.requester.workflowIdFor(repo.id),
      runId: null,
      deduplicated: false,
      ...(repeated ? { repeated } : {}),
    };
    // A repeated request is relayed only if its first asking did not get it through (the claim
    // skips requests already relayed).
    if (!relayNow) return pending;
    // The request is committed: whatever goes wrong from here, the relay loop sends it later.
    const receipt = await this.relay
      .execute({ ids: [requestId] })
      .then((round) => round.relayed.get(requestId) ?? null)
      .catch(() => null);
    if (!receipt) return pending;
    const identified = await this.identified(repo, requestId, receipt, command);
    return repeated ? { ...identified, repeated } : identified;
  }

  /**
   * Within a unit of work the caller opened (a webhook delivery's): only the outbox row and the
   * audit row. Once it committed, the caller relays the request (`relayAfterCommit`).
   */
  async executeIn(stores: Stores, command: RequestScanCommand): Promise<ScanRequested> {
    const repo = await this.scannable(stores, command.repoId);
    const { requestId } = await this.enqueue(stores, repo, command, this.relay.relaysAtOnce);
    return {
      requestId,
      relayed: false,
      scanId: null,
      workflowId: this.requester.workflowIdFor(repo.id),
      runId: null,
      deduplicated: false,
    };
  }

  /**
   * Relays requests the caller committed with `executeIn`; returns those Temporal accepted. Never
   * throws: what is not sent now, the relay loop sends.
   */
  async relayAfterCommit(requestIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (requestIds.length === 0 || !this.relay.relaysAtOnce) return new Set();
    const round = await this.relay.execute({ ids: requestIds }).catch(() => null);
    return new Set(round?.relayed.keys() ?? []);
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

  /** The outbox row and the audit row, in the given unit of work. */
  private async enqueue(
    stores: Stores,
    repo: Repository,
    command: RequestScanCommand,
    relayedByCaller: boolean,
  ): Promise<{ requestId: string; repeated: boolean }> {
    const { caller, trigger } = command;
    // Every request carries its outbox id: the workflow drops a copy the relay sent twice.
    const requestId = command.requestId ?? this.newRequestId();
    const requestedBy = command.requestedBy ?? callerName(caller);
    const correlationId = caller.actor.correlationId;
    const details: ScanRequestDetails = {
      trigger,
      requestedBy,
      requestId,
      ...(command.commitSha ? { commitSha: command.commitSha } : {}),
      ...(command.ref ? { ref: command.ref } : {}),
      ...(command.deliveryId ? { deliveryId: command.deliveryId } : {}),
      ...(correlationId ? { correlationId } : {}),
      ...(command.snapshotId ? { snapshotId: command.snapshotId } : {}),
      ...(command.stepsTaskQueue ? { taskQueue: command.stepsTaskQueue } : {}),
    };
    const inserted = await stores.scanRequestOutbox.enqueue({
      id: requestId,
      target: { orgId: repo.orgId, repoId: repo.id, owner: repo.owner, name: repo.name },
      details,
      routing: { ...command.routing, taskQueue: command.routing?.taskQueue ?? this.relay.taskQueue },
      // Held for the caller, who relays it right after the commit; else due at once for the loop.
      holdMs: relayedByCaller ? this.relay.leaseMs : 0,
    });
    if (!inserted) return { requestId, repeated: true };
    stores.audit.record(caller.actor, {
      orgId: repo.orgId,
      action: 'scan.requested',
      targetType: 'repository',
      targetId: repo.id,
      metadata: {
        trigger,
        request_id: requestId,
        workflow_id: this.requester.workflowIdFor(repo.id),
        ref: command.ref ?? null,
        ...(command.commitSha ? { commit_sha: command.commitSha } : {}),
        ...(command.deliveryId ? { delivery_id: command.deliveryId } : {}),
        ...(command.snapshotId ? { snapshot_id: command.snapshotId } : {}),
      },
    });
    return { requestId, repeated: false };
  }

  /** Asks the workflow which scan serves the relayed request and queues that scan's row. */
  private async identified(
    repo: Repository,
    requestId: string,
    receipt: ScanRequestReceipt,
    command: RequestScanCommand,
  ): Promise<ScanRequested> {
    const relayed = { requestId, relayed: true, workflowId: receipt.workflowId };
    if (!command.identifyScan) {
      return { ...relayed, scanId: null, runId: receipt.runId, deduplicated: false };
    }
    const assignment = await this.requester.assignment(receipt, requestId);
    if (!assignment) return { ...relayed, scanId: null, runId: receipt.runId, deduplicated: false };
    const runId = assignment.servedByThisRun ? receipt.runId : null;
    const inserted = await this.uow.transaction(command.caller.scope, async (stores) => {
      // Told to whoever asks about the request later (GET .../scan-requests/{id}).
      await stores.scanRequestOutbox.recordScan(requestId, assignment.scanId);
      return stores.scans.queue({
        scanId: assignment.scanId,
        orgId: repo.orgId,
        repoId: repo.id,
        workflowId: receipt.workflowId,
        runId,
        // Served by the follow-up of the run reached: the reconciler follows it from there.
        ...(runId === null ? { promisedByRunId: receipt.runId } : {}),
        trigger: command.trigger,
        requestedBy: command.requestedBy ?? callerName(command.caller),
        ref: command.ref ?? null,
      });
    });
    return {
      ...relayed,
      scanId: assignment.scanId,
      runId: runId ?? receipt.runId,
      deduplicated: !inserted,
    };
  }
}
