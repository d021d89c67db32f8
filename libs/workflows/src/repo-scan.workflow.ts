import {
  ApplicationFailure,
  ActivityFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import {
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_QUIET_WINDOW_MS,
  RepoGuardCommit,
  RepoGuardStatus,
  RepoGuardTrigger,
  scanRequestedSignal,
  scanForRequestQuery,
  scanStatusQuery,
  type RepoScanInput,
  type RepoScanResult,
  type ScanPhase,
  type ScanRequest,
} from '@repoguard/contract';

// Timeouts sized to each step; transient failures (network, 5xx, 429, a lost database
// connection) are retried with backoff, domain failures come back non-retryable. The heartbeat
// timeout bounds how long a step on a worker that died goes unnoticed.
function scanSteps(heartbeatTimeout: number, taskQueue?: string) {
  const retry = (maximumAttempts: number) =>
    ({
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts,
    }) as const;
  const network = proxyActivities<Activities>({
    ...(taskQueue ? { taskQueue } : {}),
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout,
    retry: retry(8),
  });
  const parsing = proxyActivities<Activities>({
    ...(taskQueue ? { taskQueue } : {}),
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout,
    retry: retry(5),
  });
  const database = proxyActivities<Activities>({
    ...(taskQueue ? { taskQueue } : {}),
    startToCloseTimeout: '1 minute',
    heartbeatTimeout,
    retry: retry(10),
  });
  return {
    fetchManifest: network.fetchManifest,
    osvQuery: network.osvQuery,
    parse: parsing.parse,
    persist: database.persist,
    evaluatePolicy: database.evaluatePolicy,
    recordScanFailure: database.recordScanFailure,
    beginRematch: database.beginRematch,
  };
}

/**
 * One scan of one repository. Every request is a `scanRequested` signal; the workflow waits for a
 * quiet window (bounded by a maximum wait), scans the newest requested commit, and hands requests
 * that arrived meanwhile to a fresh run (continue-as-new) so each scan has its own history.
 */
export async function repoScanWorkflow(input: RepoScanInput): Promise<RepoScanResult> {
  const { workflowId, runId } = workflowInfo();
  const heartbeatTimeoutMs = input.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const { fetchManifest, parse, recordScanFailure } = scanSteps(heartbeatTimeoutMs);
  const scanId = input.scanId ?? uuid4();
  // Told to the follow-up run, so a request that arrives mid-scan can be given its scan id at once.
  const nextScanId = uuid4();
  const pending: ScanRequest[] = [...(input.carriedRequests ?? [])];
  let batchTaken = false;
  const batchRequestIds = new Set<string>();
  let received = pending.length;
  let phase: ScanPhase = 'QUEUED';
  let commitSha: string | null = null;
  let errorCode: string | null = null;
  const counts: Record<string, number> = {};

  setHandler(scanRequestedSignal, (request) => {
    pending.push(request);
    received++;
  });
  setHandler(scanStatusQuery, () => ({
    scanId,
    phase,
    requestsReceived: received,
    pendingRequests: pending.length,
    commitSha,
    counts: { ...counts },
    errorCode,
  }));
  setHandler(scanForRequestQuery, (requestId) => {
    if (batchRequestIds.has(requestId)) return { scanId, servedByThisRun: true };
    if (!pending.some((r) => r.requestId === requestId)) return null;
    return batchTaken ? { scanId: nextScanId, servedByThisRun: false } : { scanId, servedByThisRun: true };
  });
  const enter = (next: ScanPhase) => {
    phase = next;
    upsertSearchAttributes([{ key: RepoGuardStatus, value: next }]);
    setCurrentDetails(`**${next}**${commitSha ? ` at \`${commitSha.slice(0, 12)}\`` : ''}`);
  };
  enter('QUEUED');

  // Debounce: wait until no request has come for the quiet window, at most maxWait in all.
  await condition(() => pending.length > 0);
  const quietWindowMs = input.quietWindowMs ?? DEFAULT_QUIET_WINDOW_MS;
  const maxWaitMs = input.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const firstRequestAt = Date.now();
  for (;;) {
    const seen = received;
    const left = maxWaitMs - (Date.now() - firstRequestAt);
    if (left <= 0 || !(await condition(() => received !== seen, Math.min(quietWindowMs, left)))) break;
    // A flood of requests must not grow one history without bound: carry them to a fresh run.
    if (workflowInfo().continueAsNewSuggested) {
      batchTaken = true; // every pending request is the next run's now
      await continueAsNew<typeof repoScanWorkflow>({
        ...input,
        carriedRequests: pending,
        scanId: nextScanId,
      });
    }
  }
  const batch = pending.splice(0, pending.length);
  batchTaken = true;
  for (const r of batch) if (r.requestId) batchRequestIds.add(r.requestId);
  // The newest wins; the others are coalesced into it. A re-match (advisories changed) is served
  // by any real scan in the batch, which matches against the same advisories anyway.
  const scans = batch.filter((r) => r.trigger !== 'advisory');
  const served = scans.length > 0 ? scans : batch;
  const request = served[served.length - 1]!;
  const rematch = request.trigger === 'advisory' && request.snapshotId ? request.snapshotId : null;
  // A re-match's steps run on the re-match queue, whose few slots keep it from delaying pushes.
  const { osvQuery, persist, evaluatePolicy, beginRematch } = scanSteps(
    heartbeatTimeoutMs,
    rematch ? request.taskQueue : undefined,
  );
  upsertSearchAttributes([{ key: RepoGuardTrigger, value: request.trigger }]);
  // The memo names the request this run scans (the start's memo named whoever started the run).
  // Histories recorded before this change have no memo command here: patched keeps them replaying.
  if (request.correlationId && patched('memo-correlation-id')) {
    upsertMemo({ correlationId: request.correlationId });
  }

  const ref = {
    scanId,
    orgId: input.orgId,
    repoId: input.repoId,
    ...(request.correlationId ? { correlationId: request.correlationId } : {}),
  };
  log.info('scan starting', {
    scanId,
    trigger: request.trigger,
    requestedBy: request.requestedBy,
    correlationId: request.correlationId ?? null,
    coalesced: batch.length,
  });
  let policyStatus: RepoScanResult['policyStatus'] = null;
  try {
    let snapshotId: string;
    if (rematch) {
      enter('MATCHING');
      commitSha = (
        await beginRematch({
          ...ref,
          snapshotId: rematch,
          workflowId,
          runId,
          requestedBy: request.requestedBy,
        })
      ).commitSha;
      upsertSearchAttributes([{ key: RepoGuardCommit, value: commitSha }]);
      snapshotId = rematch;
    } else {
      enter('FETCHING');
      const fetched = await fetchManifest({
        ...ref,
        owner: input.owner,
        name: input.name,
        workflowId,
        runId,
        trigger: request.trigger,
        requestedBy: request.requestedBy,
        ...(request.commitSha ? { commitSha: request.commitSha } : {}),
        ...(request.ref ? { ref: request.ref } : {}),
      });
      commitSha = fetched.commitSha;
      counts['manifests'] = fetched.manifests.length;
      upsertSearchAttributes([{ key: RepoGuardCommit, value: fetched.commitSha }]);

      enter('PARSING');
      const parsed = await parse({ ...ref, commitSha: fetched.commitSha, manifests: fetched.manifests });
      counts['dependencies'] = parsed.dependencies;

      enter('MATCHING');
      snapshotId = parsed.snapshotId;
    }
    const matched = await osvQuery({ ...ref, snapshotId });
    counts['vulnerabilities'] = matched.vulnerabilities;

    enter('PERSISTING');
    const persisted = await persist({ ...ref, snapshotId });
    counts['findings'] = persisted.open;
    counts['fixed'] = persisted.fixed;

    enter('EVALUATING');
    policyStatus = (await evaluatePolicy({ ...ref, snapshotId })).status;
    enter('COMPLETED');
    setCurrentDetails(
      `**COMPLETED**: ${policyStatus}, ${counts['findings']} open finding(s) at \`${(commitSha ?? '').slice(0, 12)}\``,
    );
  } catch (error) {
    const failure =
      error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? error.cause : null;
    errorCode = failure?.type ?? 'SCAN_FAILED';
    const message = failure?.message ?? (error instanceof Error ? error.message : String(error));
    await recordScanFailure({ ...ref, code: errorCode, message });
    enter('FAILED');
    setCurrentDetails(`**FAILED**: ${errorCode}: ${message}`);
  }

  // Requests that came in while this scan ran get one follow-up scan of their own.
  if (pending.length > 0) {
    await continueAsNew<typeof repoScanWorkflow>({ ...input, carriedRequests: pending, scanId: nextScanId });
  }
  return {
    scanId,
    phase: policyStatus !== null ? 'COMPLETED' : 'FAILED',
    commitSha,
    policyStatus,
    errorCode,
    requestsCoalesced: batch.length,
  };
}
