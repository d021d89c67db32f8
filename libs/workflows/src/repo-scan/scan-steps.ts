import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  log,
  patched,
  proxyActivities,
} from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import { scanFairnessKey, type RepoScanInput } from '@repoguard/contract';
import type { ScanBatch } from './collect-batch';
import { whenOrgAdmits } from './org-admission';
import type { PolicyStatus, ScanProgress } from './scan-progress';

// Timeouts sized to each step; transient failures (network, 5xx, 429, a lost database
// connection) are retried with backoff, domain failures come back non-retryable. The heartbeat
// timeout bounds how long a step on a worker that died goes unnoticed. The org's fairness key has the
// queue hand out tasks to the orgs in turn; a worker that turns a step away (ORG_BUSY) is asked again.
function scanActivities(heartbeatTimeout: number, orgId: string, taskQueue?: string) {
  const retry = (maximumAttempts: number) =>
    ({
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts,
    }) as const;
  const priority = { fairnessKey: scanFairnessKey(orgId) };
  const network = proxyActivities<Activities>({
    ...(taskQueue ? { taskQueue } : {}),
    priority,
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout,
    retry: retry(8),
  });
  const parsing = proxyActivities<Activities>({
    ...(taskQueue ? { taskQueue } : {}),
    priority,
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout,
    retry: retry(5),
  });
  const database = proxyActivities<Activities>({
    ...(taskQueue ? { taskQueue } : {}),
    priority,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout,
    retry: retry(10),
  });
  return {
    fetchManifest: whenOrgAdmits(network.fetchManifest),
    osvQuery: whenOrgAdmits(network.osvQuery),
    parse: whenOrgAdmits(parsing.parse),
    persist: whenOrgAdmits(database.persist),
    evaluatePolicy: whenOrgAdmits(database.evaluatePolicy),
    recordScanFailure: database.recordScanFailure,
    beginRematch: whenOrgAdmits(database.beginRematch),
  };
}

export interface ScanJob {
  readonly input: RepoScanInput;
  readonly scanId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly heartbeatTimeoutMs: number;
  readonly batch: ScanBatch;
}

/**
 * The steps of one scan: fetch and parse the requested commit (or reopen the stored snapshot of a
 * re-match), match it against the advisories, persist the findings, evaluate the policy. A failed
 * step is recorded on the scan; the answer is then null instead of the policy status.
 */
export async function runScan(job: ScanJob, progress: ScanProgress): Promise<PolicyStatus> {
  const { input, scanId, workflowId, runId, heartbeatTimeoutMs, batch } = job;
  const { request, rematch } = batch;
  const { fetchManifest, parse, recordScanFailure } = scanActivities(heartbeatTimeoutMs, input.orgId);
  // A re-match's steps run on the re-match queue, whose few slots keep it from delaying pushes.
  const { osvQuery, persist, evaluatePolicy, beginRematch } = scanActivities(
    heartbeatTimeoutMs,
    input.orgId,
    rematch?.taskQueue,
  );
  const ref = {
    scanId,
    orgId: input.orgId,
    repoId: input.repoId,
    ...(request.correlationId ? { correlationId: request.correlationId } : {}),
  };
  const started = { workflowId, runId, requestedBy: request.requestedBy };

  try {
    let snapshotId: string;
    if (rematch) {
      progress.enter('MATCHING');
      const begun = await beginRematch({ ...ref, ...started, snapshotId: rematch.snapshotId });
      progress.atCommit(begun.commitSha);
      // The repository's newest snapshot (a push scan may have completed since the re-match was asked).
      snapshotId = begun.snapshotId ?? rematch.snapshotId;
    } else {
      progress.enter('FETCHING');
      const fetched = await fetchManifest({
        ...ref,
        owner: input.owner,
        name: input.name,
        ...started,
        trigger: request.trigger,
        ...(request.commitSha ? { commitSha: request.commitSha } : {}),
        ...(request.ref ? { ref: request.ref } : {}),
      });
      progress.count('manifests', fetched.manifests.length);
      progress.atCommit(fetched.commitSha);

      progress.enter('PARSING');
      const parsed = await parse({ ...ref, commitSha: fetched.commitSha, manifests: fetched.manifests });
      progress.count('dependencies', parsed.dependencies);

      progress.enter('MATCHING');
      snapshotId = parsed.snapshotId;
    }
    const matched = await osvQuery({
      ...ref,
      snapshotId,
      ...(batch.freshAdvisories ? { freshAdvisories: true } : {}),
    });
    progress.count('vulnerabilities', matched.vulnerabilities);

    progress.enter('PERSISTING');
    const persisted = await persist({ ...ref, snapshotId });
    progress.count('findings', persisted.open);
    progress.count('fixed', persisted.fixed);

    progress.enter('EVALUATING');
    const { status } = await evaluatePolicy({ ...ref, snapshotId });
    progress.completed(status);
    return status;
  } catch (error) {
    const { code, message } = describeFailure(error);
    const record = () => recordScanFailure({ ...ref, code, message });
    // Histories recorded before this patch recorded the failure in the scan's own scope (never, once
    // cancelled) and failed the workflow when recording failed: they replay that way.
    if (!patched(FAILURE_RECORD_PATCH)) {
      await progress.failed(code, message, record);
      return null;
    }
    await progress.failed(code, message, async () => {
      try {
        // A cancelled scan still closes its row.
        await CancellationScope.nonCancellable(record);
      } catch (recordError) {
        // The row stays open for the reconciler; the run goes on to serve the requests it holds.
        log.error('could not record the scan failure', {
          scanId,
          code,
          error: describeFailure(recordError).message,
        });
      }
    });
    // A cancelled workflow ends cancelled once its failure is recorded.
    if (isCancellation(error)) throw error;
    return null;
  }
}

// Failures are recorded out of the cancelled scope, and a failure to record them fails no workflow.
export const FAILURE_RECORD_PATCH = 'failure-record-survives';

/** A step's domain failure keeps its code; anything else is a plain SCAN_FAILED. */
function describeFailure(error: unknown): { code: string; message: string } {
  if (isCancellation(error)) return { code: 'SCAN_CANCELLED', message: 'the scan was cancelled' };
  const failure =
    error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? error.cause : null;
  return {
    code: failure?.type ?? 'SCAN_FAILED',
    message: failure?.message ?? (error instanceof Error ? error.message : String(error)),
  };
}
