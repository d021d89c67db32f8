import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  TimeoutFailure,
} from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import {
  REMATCH_ABANDONED,
  REMATCH_DEFERRED,
  scanFairnessKey,
  type RepoScanInput,
} from '@repoguard/contract';
import { stepRetry } from '../step-retry';
import type { ScanBatch } from './collect-batch';
import { whenOrgAdmits } from './org-admission';
import type { PolicyStatus, ScanProgress } from './scan-progress';

// Timeouts sized to each step; transient failures (network, 5xx, 429, a lost database
// connection) are retried with backoff, domain failures come back non-retryable. The heartbeat
// timeout bounds how long a step on a worker that died goes unnoticed. The org's fairness key has the
// queue hand out tasks to the orgs in turn; a worker that turns a step away (ORG_BUSY) is asked again.
// A schedule-to-start bound (re-match queue only) keeps a saturated queue from holding the scan.
function scanActivities(
  heartbeatTimeout: number,
  orgId: string,
  taskQueue?: string,
  scheduleToStartTimeout?: number,
) {
  const retry = stepRetry;
  const priority = { fairnessKey: scanFairnessKey(orgId) };
  const routing = {
    ...(taskQueue ? { taskQueue } : {}),
    ...(scheduleToStartTimeout !== undefined ? { scheduleToStartTimeout } : {}),
  };
  const network = proxyActivities<Activities>({
    ...routing,
    priority,
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout,
    retry: retry(8),
  });
  const parsing = proxyActivities<Activities>({
    ...routing,
    priority,
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout,
    retry: retry(5),
  });
  const database = proxyActivities<Activities>({
    ...routing,
    priority,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout,
    retry: retry(10),
  });
  // A whole re-match: the time and attempts of its steps together (match 5 min, three database
  // steps 1 min each), and room for the re-match worker's stand-back before it begins.
  const rematch = proxyActivities<Activities>({
    ...routing,
    priority,
    startToCloseTimeout: '10 minutes',
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
    closeScan: database.closeScan,
    beginRematch: whenOrgAdmits(database.beginRematch),
    rematchSnapshot: whenOrgAdmits(rematch.rematchSnapshot),
  };
}

export interface ScanJob {
  readonly input: RepoScanInput;
  readonly scanId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly heartbeatTimeoutMs: number;
  readonly batch: ScanBatch;
  /**
   * Real scans: called as matching begins. True when re-match requests are waiting that this match
   * is to serve: it then reads the advisories as stored now.
   */
  readonly onMatching?: () => boolean;
  /**
   * Re-matches: true once a request that must not wait (a push, an API call, the schedule) came.
   * Given, the re-match yields to it: its steps are cancelled, its scan closed SUPERSEDED, and its
   * requests go with the push to the next run. Its steps then also wait at most
   * `rematchQueueTimeoutMs` for a worker. Absent (histories recorded before): it never yields.
   */
  readonly pushWaiting?: () => boolean;
  readonly rematchQueueTimeoutMs?: number;
  /**
   * Re-matches that yield: asked once, when no re-match worker took a step in time. `abandons`: this
   * deferral is the last allowed, so the scan closes REMATCH_ABANDONED and the re-match is dropped
   * (outcome FAILED) instead of released. Absent: every deferral is released (REMATCH_DEFERRED).
   */
  readonly onDeferred?: () => { readonly count: number; readonly abandons: boolean } | null;
  /**
   * Real scans: true once the run has taken as many signals as it may (a flood during the scan).
   * The scan then lets go like a re-match that yields (closed SUPERSEDED, its requests handed on
   * with the flood's to the next run) before the server refuses further signals. Histories recorded
   * before FLOOD_HANDS_ON_PATCH never let go.
   */
  readonly flooded?: () => boolean;
}

/**
 * How one scan ended. RELEASED: a re-match let go before its verdict, because a push came (PUSH) or
 * no re-match worker took a step in time (QUEUE_TIMEOUT), or a scan let go because a flood of
 * requests reached the run's signal bound (FLOOD); its requests belong to the next run.
 * SUPERSEDED: a newer scan of the repository persisted first, so this one wrote nothing.
 */
export type ScanOutcome =
  | { readonly ended: 'COMPLETED'; readonly policyStatus: NonNullable<PolicyStatus> }
  | { readonly ended: 'FAILED' }
  | { readonly ended: 'SUPERSEDED' }
  | { readonly ended: 'RELEASED'; readonly reason: 'PUSH' | 'QUEUE_TIMEOUT' | 'FLOOD' };

/**
 * The steps of one scan: fetch and parse the requested commit (or reopen the stored snapshot of a
 * re-match), match it against the advisories, persist the findings, evaluate the policy. A failed
 * step is recorded on the scan.
 */
export async function runScan(job: ScanJob, progress: ScanProgress): Promise<ScanOutcome> {
  const { input, scanId, workflowId, runId, heartbeatTimeoutMs, batch } = job;
  const { request, rematch } = batch;
  const { fetchManifest, parse, recordScanFailure, closeScan } = scanActivities(
    heartbeatTimeoutMs,
    input.orgId,
  );
  const yields = rematch !== null && job.pushWaiting !== undefined;
  // A re-match's steps run on the re-match queue, whose few slots keep it from delaying pushes.
  const { osvQuery, persist, evaluatePolicy, beginRematch, rematchSnapshot } = scanActivities(
    heartbeatTimeoutMs,
    input.orgId,
    rematch?.taskQueue,
    yields && rematch?.taskQueue ? job.rematchQueueTimeoutMs : undefined,
  );
  const ref = {
    scanId,
    orgId: input.orgId,
    repoId: input.repoId,
    ...(request.correlationId ? { correlationId: request.correlationId } : {}),
  };
  const started = { workflowId, runId, requestedBy: request.requestedBy };

  const superseded = (): ScanOutcome => {
    progress.enter('SUPERSEDED');
    return { ended: 'SUPERSEDED' };
  };
  const matchPersistEvaluate = async (snapshotId: string, fresh: boolean): Promise<ScanOutcome> => {
    const matched = await osvQuery({ ...ref, snapshotId, ...(fresh ? { freshAdvisories: true } : {}) });
    progress.count('vulnerabilities', matched.vulnerabilities);

    progress.enter('PERSISTING');
    const persisted = await persist({ ...ref, snapshotId });
    if (persisted.supersededBy) return superseded();
    progress.count('findings', persisted.open);
    progress.count('fixed', persisted.fixed);

    progress.enter('EVALUATING');
    const evaluated = await evaluatePolicy({ ...ref, snapshotId });
    if (evaluated.status === null) return superseded();
    progress.completed(evaluated.status);
    return { ended: 'COMPLETED', policyStatus: evaluated.status };
  };
  const rematchSteps = async (snapshotToMatch: string): Promise<ScanOutcome> => {
    progress.enter('MATCHING');
    if (patched(REMATCH_ONE_ACTIVITY_PATCH)) {
      const rematched = await rematchSnapshot({
        ...ref,
        ...started,
        snapshotId: snapshotToMatch,
        ...(batch.freshAdvisories ? { freshAdvisories: true } : {}),
      });
      progress.atCommit(rematched.commitSha);
      if (rematched.superseded) return superseded();
      progress.count('vulnerabilities', rematched.vulnerabilities);
      progress.count('findings', rematched.open);
      progress.count('fixed', rematched.fixed);
      progress.completed(rematched.status);
      return { ended: 'COMPLETED', policyStatus: rematched.status };
    }
    const begun = await beginRematch({ ...ref, ...started, snapshotId: snapshotToMatch });
    progress.atCommit(begun.commitSha);
    // The repository's newest snapshot (a push scan may have completed since the re-match was asked).
    return matchPersistEvaluate(begun.snapshotId ?? snapshotToMatch, batch.freshAdvisories);
  };

  const realSteps = async (): Promise<ScanOutcome> => {
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
    const servesWaitingRematches = job.onMatching?.() ?? false;
    return matchPersistEvaluate(parsed.snapshotId, batch.freshAdvisories || servesWaitingRematches);
  };

  try {
    if (rematch && job.pushWaiting) {
      const outcome = await yieldingToPushes(() => rematchSteps(rematch.snapshotId), job.pushWaiting);
      if (outcome !== 'PUSH' && outcome !== 'QUEUE_TIMEOUT') return outcome;
      const close = { ...ref, ...started, trigger: request.trigger };
      if (outcome === 'PUSH') {
        // The push is scanned next, with this re-match's requests: it matches the same advisories.
        await CancellationScope.nonCancellable(() => closeScan({ ...close, outcome: 'SUPERSEDED' }));
        progress.enter('SUPERSEDED');
      } else {
        const deferral = job.onDeferred?.() ?? null;
        const waited = `no worker of ${rematch.taskQueue} took a re-match step within ${job.rematchQueueTimeoutMs} ms`;
        const [code, message] = deferral?.abandons
          ? [REMATCH_ABANDONED, `${waited}, ${deferral.count} times: given up`]
          : [REMATCH_DEFERRED, `${waited}: requested again`];
        log.warn(deferral?.abandons ? 're-match abandoned' : 're-match deferred', {
          scanId,
          taskQueue: rematch.taskQueue,
          deferrals: deferral?.count ?? null,
        });
        await progress.failed(code, message, () =>
          CancellationScope.nonCancellable(() => closeScan({ ...close, outcome: 'FAILED', code, message })),
        );
        // Its requests were served by this scan: their requesters are answered with its failure.
        if (deferral?.abandons) return { ended: 'FAILED' };
      }
      return { ended: 'RELEASED', reason: outcome };
    }
    if (rematch) return await rematchSteps(rematch.snapshotId);
    if (job.flooded) {
      const flooded = job.flooded;
      const outcome = await yieldingToPushes(realSteps, flooded, () => patched(FLOOD_HANDS_ON_PATCH));
      if (outcome !== 'PUSH' && outcome !== 'QUEUE_TIMEOUT') return outcome;
      log.warn('scan handed on: the run took its share of signals', { scanId });
      const close = { ...ref, ...started, trigger: request.trigger, outcome: 'SUPERSEDED' as const };
      await CancellationScope.nonCancellable(() => closeScan(close));
      progress.enter('SUPERSEDED');
      return { ended: 'RELEASED', reason: 'FLOOD' };
    }
    return await realSteps();
  } catch (error) {
    const { code, message } = describeFailure(error);
    const record = () => recordScanFailure({ ...ref, code, message });
    // Histories recorded before this patch recorded the failure in the scan's own scope (never, once
    // cancelled) and failed the workflow when recording failed: they replay that way.
    if (!patched(FAILURE_RECORD_PATCH)) {
      await progress.failed(code, message, record);
      return { ended: 'FAILED' };
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
    return { ended: 'FAILED' };
  }
}

// A re-match is one activity (rematchSnapshot) instead of four; histories recorded before schedule
// beginRematch, osvQuery, persist and evaluatePolicy one by one.
export const REMATCH_ONE_ACTIVITY_PATCH = 'rematch-one-activity';

// A scan lets go of a flood (see ScanJob.flooded); histories recorded before it never do.
export const FLOOD_HANDS_ON_PATCH = 'scan-hands-on-flood';

// Failures are recorded out of the cancelled scope, and a failure to record them fails no workflow.
export const FAILURE_RECORD_PATCH = 'failure-record-survives';

/**
 * Runs a re-match's steps in a cancellation scope, cancelled as soon as `pushWaiting` turns true:
 * a push never waits behind a re-match. PUSH when it yielded, QUEUE_TIMEOUT when no re-match
 * worker took a step in time (Temporal does not retry that timeout), else the steps' own outcome.
 */
async function yieldingToPushes(
  steps: () => Promise<ScanOutcome>,
  pushWaiting: () => boolean,
  // Asked once `pushWaiting` turned true (a patch check): false, the steps run on as recorded.
  mayYield: () => boolean = () => true,
): Promise<ScanOutcome | 'PUSH' | 'QUEUE_TIMEOUT'> {
  const scope = new CancellationScope();
  const running = scope.run(steps);
  const watch = new CancellationScope();
  const pushed = watch
    .run(() => condition(pushWaiting))
    .then(
      () => true,
      () => false,
    );
  const yielded =
    (await Promise.race([
      running.then(
        () => false,
        () => false,
      ),
      pushed,
    ])) && mayYield();
  watch.cancel();
  if (yielded) scope.cancel();
  try {
    return await running;
  } catch (error) {
    // Cancelled for the push (or failing as it was cancelled): the push scan serves it instead.
    if (yielded) return 'PUSH';
    if (isScheduleToStartTimeout(error)) return 'QUEUE_TIMEOUT';
    throw error;
  }
}

function isScheduleToStartTimeout(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof TimeoutFailure &&
    error.cause.timeoutType === 'SCHEDULE_TO_START'
  );
}

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
