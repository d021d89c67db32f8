import {
  continueAsNew,
  log,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  DEFAULT_CONTINUE_AS_NEW_AFTER_SIGNALS,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_QUIET_WINDOW_MS,
  REPO_DISCONNECTED_FAILURE,
  RepoGuardTrigger,
  scanStatusQuery,
  type RepoScanInput,
  type RepoScanResult,
} from '@repoguard/contract';
import { collectBatch } from './repo-scan/collect-batch';
import { ScanProgress } from './repo-scan/scan-progress';
import { ScanRequestInbox } from './repo-scan/scan-request-inbox';
import { runScan } from './repo-scan/scan-steps';

/**
 * One scan of one repository. Every request is a `scanRequested` signal; the workflow waits for a
 * quiet window (bounded by a maximum wait), scans the newest requested commit, and hands requests
 * that arrived meanwhile to a fresh run (continue-as-new) so each scan has its own history.
 */
export async function repoScanWorkflow(input: RepoScanInput): Promise<RepoScanResult> {
  const { workflowId, runId } = workflowInfo();
  const scanId = input.scanId ?? uuid4();
  // Told to the follow-up run, so a request that arrives mid-scan can be given its scan id at once.
  const nextScanId = uuid4();
  const inbox = new ScanRequestInbox(
    {
      requests: input.carriedRequests ?? [],
      served: input.servedRequests ?? [],
      ...(input.foldedRequests ? { folded: input.foldedRequests } : {}),
      ...(input.firstRequestAt !== undefined ? { firstRequestAt: input.firstRequestAt } : {}),
    },
    { thisRun: scanId, nextRun: nextScanId },
    input.continueAsNewAfterSignals ?? DEFAULT_CONTINUE_AS_NEW_AFTER_SIGNALS,
  );
  const progress = new ScanProgress();
  setHandler(scanStatusQuery, () => ({
    scanId,
    ...progress.view(),
    requestsReceived: inbox.received,
    pendingRequests: inbox.pendingCount,
  }));
  // The next run gets only what it needs (see ScanRequestInbox.handOver): its input stays small.
  const continueWith = (nextRunScanId: string) => {
    const { carriedRequests, foldedRequests, firstRequestAt, servedRequests } = inbox.handOver(nextRunScanId);
    const { foldedRequests: _folded, firstRequestAt: _first, ...settings } = input;
    return continueAsNew<typeof repoScanWorkflow>({
      ...settings,
      carriedRequests,
      servedRequests,
      scanId: nextRunScanId,
      ...(foldedRequests ? { foldedRequests } : {}),
      ...(firstRequestAt !== undefined ? { firstRequestAt } : {}),
    });
  };
  progress.enter('QUEUED');

  // Handed on before scanning, the requests keep this run's scan id: the requester was told it.
  await inbox.debounce(
    {
      quietWindowMs: input.quietWindowMs ?? DEFAULT_QUIET_WINDOW_MS,
      maxWaitMs: input.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    },
    () => continueWith(scanId),
  );
  const batch = collectBatch(inbox.takeBatch());
  const { request } = batch;
  inbox.scanning(request, batch.rematch !== null);
  upsertSearchAttributes([{ key: RepoGuardTrigger, value: request.trigger }]);
  // The memo names the request this run scans (the start's memo named whoever started the run).
  // Histories recorded before this change have no memo command here: patched keeps them replaying.
  if (request.correlationId && patched('memo-correlation-id')) {
    upsertMemo({ correlationId: request.correlationId });
  }
  log.info('scan starting', {
    scanId,
    trigger: request.trigger,
    requestedBy: request.requestedBy,
    correlationId: request.correlationId ?? null,
    coalesced: inbox.batchCoalesced,
  });

  const policyStatus = await runScan(
    {
      input,
      scanId,
      workflowId,
      runId,
      heartbeatTimeoutMs: input.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
      batch,
    },
    progress,
  );

  const { commitSha, errorCode } = progress.view();
  // Requests that came in while this scan ran get one follow-up scan of their own, unless the
  // repository is gone: then nothing more is scanned or written for it.
  if (inbox.pendingCount > 0 && errorCode !== REPO_DISCONNECTED_FAILURE) await continueWith(nextScanId);
  return {
    scanId,
    phase: policyStatus !== null ? 'COMPLETED' : 'FAILED',
    commitSha,
    policyStatus,
    errorCode,
    requestsCoalesced: inbox.batchCoalesced,
  };
}
