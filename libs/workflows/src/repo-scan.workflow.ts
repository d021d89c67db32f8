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
  DEFAULT_REMATCH_QUEUE_TIMEOUT_MS,
  REPO_DISCONNECTED_FAILURE,
  RepoGuardTrigger,
  scanStatusQuery,
  type RepoScanInput,
  type RepoScanResult,
  type ScanRequest,
} from '@repoguard/contract';
import { collectBatch } from './repo-scan/collect-batch';
import { isRematchRequest, mustNotWait, RematchCoverage } from './repo-scan/rematch-coverage';
import {
  nextDeferral,
  REMATCH_DEFERRAL_PATCH,
  REMATCH_FRESH_SYNC_PATCH,
  rematchBackoffMs,
  rematchDeferralLimits,
} from './repo-scan/rematch-deferral';
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
      ...(input.lastRequestAt !== undefined ? { lastRequestAt: input.lastRequestAt } : {}),
      ...(input.rematchDeferrals ? { rematchDeferrals: input.rematchDeferrals } : {}),
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
  // `released`: the requests of a re-match that let go (a push came, or its queue had no worker).
  const continueWith = (nextRunScanId: string, released: readonly ScanRequest[] = [], deferrals = 0) => {
    const {
      carriedRequests,
      foldedRequests,
      firstRequestAt,
      lastRequestAt,
      servedRequests,
      rematchDeferrals,
    } = inbox.handOver(nextRunScanId, released, deferrals);
    const {
      foldedRequests: _folded,
      firstRequestAt: _first,
      lastRequestAt: _last,
      rematchDeferrals: _deferrals,
      ...settings
    } = input;
    return continueAsNew<typeof repoScanWorkflow>({
      ...settings,
      carriedRequests,
      servedRequests,
      scanId: nextRunScanId,
      ...(foldedRequests ? { foldedRequests } : {}),
      ...(firstRequestAt !== undefined ? { firstRequestAt } : {}),
      ...(lastRequestAt !== undefined ? { lastRequestAt } : {}),
      ...(rematchDeferrals ? { rematchDeferrals } : {}),
    });
  };
  progress.enter('QUEUED');

  const quietWindowMs = input.quietWindowMs ?? DEFAULT_QUIET_WINDOW_MS;
  const deferralLimits = rematchDeferralLimits(input, quietWindowMs);
  // Only runs handed a deferred re-match (under REMATCH_DEFERRAL_PATCH) back off: a push ends the wait.
  if (inbox.rematchDeferrals > 0) {
    await inbox.holdRematch(rematchBackoffMs(inbox.rematchDeferrals, deferralLimits));
  }

  // The count a deferral adds to: none once a new sync asked for a re-match here, as that request
  // was never deferred (abandoning it for an older one's deferrals would skip its advisories).
  const deferredBefore = () =>
    inbox.rematchDeferrals > 0 && inbox.rematchAskedByThisRun && patched(REMATCH_FRESH_SYNC_PATCH)
      ? 0
      : inbox.rematchDeferrals;

  // Handed on before scanning, the requests keep this run's scan id: the requester was told it.
  await inbox.debounce(
    { quietWindowMs, maxWaitMs: input.maxWaitMs ?? DEFAULT_MAX_WAIT_MS },
    // Not asked yet, a deferred re-match keeps its count.
    () => continueWith(scanId, [], deferredBefore()),
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

  const coverage = new RematchCoverage();
  // A re-match yields to a push that arrives meanwhile. Histories recorded before never yield.
  const yieldsToPushes = batch.rematch !== null && patched('rematch-yields-to-push');
  // Set when this run deferred its re-match and asks again: the count the next run is handed.
  let deferrals = 0;
  const outcome = await runScan(
    {
      input,
      scanId,
      workflowId,
      runId,
      heartbeatTimeoutMs: input.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
      batch,
      onMatching: () => coverage.matching(inbox.pendingWhere(isRematchRequest)),
      // A flood during the scan hands the scan on before the server refuses further signals.
      ...(batch.rematch === null ? { flooded: () => inbox.signalsAtHardLimit() } : {}),
      ...(yieldsToPushes
        ? {
            pushWaiting: () => inbox.hasPending(mustNotWait),
            rematchQueueTimeoutMs: input.rematchQueueTimeoutMs ?? DEFAULT_REMATCH_QUEUE_TIMEOUT_MS,
            // Histories recorded before this patch asked again at once, for ever.
            onDeferred: () => {
              if (!patched(REMATCH_DEFERRAL_PATCH)) return null;
              const deferral = nextDeferral(deferredBefore(), deferralLimits);
              deferrals = deferral.count;
              return deferral;
            },
          }
        : {}),
    },
    progress,
  );
  // Re-matches that waited while this scan matched were served by it: once it completed, a re-match
  // of its snapshot (or an older one) would only repeat it or write over it.
  if (outcome.ended === 'COMPLETED' && coverage.any && patched('rematch-served-by-scan')) {
    inbox.serveFromPending((r) => coverage.covers(r));
  }
  // A re-match that let go hands its requests on: the push that came is scanned next with them (and
  // a scan cut short by a flood hands its own on with the flood's).
  if (outcome.ended === 'RELEASED') await continueWith(nextScanId, batch.requests, deferrals);

  const { commitSha, errorCode } = progress.view();
  const policyStatus = outcome.ended === 'COMPLETED' ? outcome.policyStatus : null;
  // Requests that came in while this scan ran get one follow-up scan of their own, unless the
  // repository is gone: then nothing more is scanned or written for it.
  if (inbox.pendingCount > 0 && errorCode !== REPO_DISCONNECTED_FAILURE) await continueWith(nextScanId);
  return {
    scanId,
    phase: outcome.ended === 'COMPLETED' || outcome.ended === 'FAILED' ? outcome.ended : 'SUPERSEDED',
    commitSha,
    policyStatus,
    errorCode,
    requestsCoalesced: inbox.batchCoalesced,
  };
}
