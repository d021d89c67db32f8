import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import {
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_PR_CHECKS_PER_RUN,
  DEFAULT_PR_SCAN_IDLE_MS,
  DEFAULT_QUIET_WINDOW_MS,
  pullRequestCheckRequested,
  scanFairnessKey,
  type PrScanInput,
  type PullRequestCheckRequest,
} from '@repoguard/contract';
import { CheckRequestInbox } from './pr-scan/check-request-inbox';
import { stepRetry } from './step-retry';

const retry = stepRetry;

function checkActivities(orgId: string, heartbeatTimeout: number) {
  const priority = { fairnessKey: scanFairnessKey(orgId) };
  // Reads GitHub and the advisory database, parses in the worker's pool: sized like a scan's fetch.
  const long = proxyActivities<Activities>({
    priority,
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout,
    retry: retry(8),
  });
  const short = proxyActivities<Activities>({ priority, startToCloseTimeout: '1 minute', retry: retry(10) });
  return {
    begin: short.beginPullRequestCheck,
    compare: long.comparePullRequest,
    publish: short.publishPullRequestCheck,
    supersede: short.supersedePullRequestCheck,
    fail: short.failPullRequestCheck,
  };
}

// Superseded in one go at most this many at a time: a flood of requests is ended in parallel.
const SUPERSEDE_BATCH = 20;

/** The failure's code: the domain error's (carried as the failure type) or a generic one. */
function errorCodeOf(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type) return cause.type;
  return 'PR_CHECK_FAILED';
}

/**
 * The checks of one pull request (`pr-scan:<repo>:<number>`). Each request names a head; the
 * workflow waits for a quiet window, checks the newest head, and a request for a newer head that
 * arrives while a check runs cancels it: the older row ends `superseded`, and only the newest head
 * gets a completed check. Requests are ordered by their head (`headAt`), not by when they were
 * asked for: a rerequest of an older head never supersedes the newest head's check; that request,
 * and any other request that arrives after a newer one, ends `superseded`, so no row is left
 * queued. A rerequest of the head being checked restarts its check. A check whose steps ran out of
 * retries ends `failed`, published as a neutral check naming the error, so the pull request never
 * keeps a pending check.
 */
export async function prScanWorkflow(input: PrScanInput): Promise<void> {
  const acts = checkActivities(input.orgId, input.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS);
  const target = {
    orgId: input.orgId,
    repoId: input.repoId,
    owner: input.owner,
    name: input.name,
    prNumber: input.prNumber,
    ...(input.defaultBranch !== undefined ? { defaultBranch: input.defaultBranch } : {}),
  };
  const stepOf = (request: PullRequestCheckRequest) => ({
    ...target,
    checkId: request.checkId,
    headSha: request.headSha,
    requestedAt: request.requestedAt,
    ...(request.correlationId ? { correlationId: request.correlationId } : {}),
  });

  const inbox = new CheckRequestInbox(input.carried, input.latest);
  let checkScope: CancellationScope | undefined;
  setHandler(pullRequestCheckRequested, (request) => {
    // The check running is of an older head, or of this head asked again: it starts over.
    if (inbox.offer(request)) checkScope?.cancel();
  });

  const quietWindowMs = input.quietWindowMs ?? DEFAULT_QUIET_WINDOW_MS;
  const checksPerRun = input.checksPerRun ?? DEFAULT_PR_CHECKS_PER_RUN;
  // Only what the next run needs: the request waiting and the newest one seen.
  const continueWith = async () => {
    await supersedeStale();
    const { carried: _carried, latest: _latest, ...settings } = input;
    const { waiting, latest } = inbox;
    await continueAsNew<typeof prScanWorkflow>({
      ...settings,
      ...(waiting ? { carried: waiting } : {}),
      ...(latest ? { latest } : {}),
    });
  };
  const supersedeStale = async (): Promise<void> => {
    while (inbox.hasStale) {
      // Each request only if its row is still that request (a rerequest since then is checked).
      await Promise.all(inbox.takeStale(SUPERSEDE_BATCH).map((stale) => acts.supersede(stepOf(stale))));
      if (workflowInfo().continueAsNewSuggested) return continueWith();
    }
  };

  for (let checks = 0; ;) {
    await supersedeStale();
    // Nothing asked for a while: this run ends, and the next request starts a new one.
    const asked = await condition(
      () => inbox.waiting !== undefined || inbox.hasStale,
      input.idleMs ?? DEFAULT_PR_SCAN_IDLE_MS,
    );
    if (!asked) return;
    if (inbox.waiting === undefined) continue;
    // Debounce: a newer head within the quiet window restarts the wait.
    for (let seen = inbox.waiting; await condition(() => inbox.waiting !== seen, quietWindowMs);) {
      seen = inbox.waiting;
    }
    await supersedeStale();
    const request = inbox.take();
    if (!request) continue;
    const step = stepOf(request);
    try {
      await CancellationScope.cancellable(async () => {
        checkScope = CancellationScope.current();
        const { proceed } = await acts.begin(step);
        // The row moved on since (a relay's late copy of a request already checked): nothing to do.
        if (!proceed) return;
        await acts.compare(step);
        await acts.publish(step);
      });
    } catch (error) {
      if (isCancellation(error)) {
        // Cancelled by a newer head: the row says so whatever happens to this run next. A rerequest
        // of the same head cancels too, and its row is checked again from the start.
        if (inbox.latest?.checkId !== request.checkId)
          await CancellationScope.nonCancellable(() => acts.supersede(step));
      } else {
        const errorCode = errorCodeOf(error);
        log.warn('pull-request check failed', { checkId: request.checkId, errorCode });
        await CancellationScope.nonCancellable(() =>
          acts.fail({ ...step, errorCode }).catch((failed: unknown) =>
            // The row and GitHub are out of reach too: the relay's sweep sends the check again.
            log.error('failed check not recorded', { checkId: request.checkId, error: String(failed) }),
          ),
        );
      }
    } finally {
      checkScope = undefined;
    }
    checks++;
    if (checks >= checksPerRun || workflowInfo().continueAsNewSuggested) return continueWith();
  }
}
