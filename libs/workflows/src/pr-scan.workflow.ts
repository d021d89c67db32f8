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

const newer = (a: PullRequestCheckRequest, than: PullRequestCheckRequest | undefined): boolean =>
  than === undefined || Date.parse(a.requestedAt) > Date.parse(than.requestedAt);

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
 * gets a completed check. A check whose steps ran out of retries ends `failed`, published as a
 * neutral check naming the error, so the pull request never keeps a pending check.
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

  let waiting: PullRequestCheckRequest | undefined = input.carried;
  let checking: PullRequestCheckRequest | undefined;
  let checkScope: CancellationScope | undefined;
  // Read through a function: the signal handler changes it while this code awaits.
  const newest = () => waiting;
  // Waiting requests a newer one replaced before they were checked: their rows end superseded.
  const passedOver: PullRequestCheckRequest[] = [];

  setHandler(pullRequestCheckRequested, (request) => {
    // A copy the relay sent again, or an older request arriving late: the newest one stands.
    if (!newer(request, waiting) || (checking && !newer(request, checking))) return;
    if (waiting && waiting.checkId !== request.checkId) passedOver.push(waiting);
    waiting = request;
    if (checking) checkScope?.cancel();
  });

  const quietWindowMs = input.quietWindowMs ?? DEFAULT_QUIET_WINDOW_MS;
  const checksPerRun = input.checksPerRun ?? DEFAULT_PR_CHECKS_PER_RUN;
  const supersedePassedOver = async () => {
    while (passedOver.length > 0) {
      const older = passedOver.shift()!;
      if (older.checkId !== waiting?.checkId) await acts.supersede(stepOf(older));
    }
  };

  for (let checks = 0; ;) {
    await supersedePassedOver();
    // Nothing asked for a while: this run ends, and the next request starts a new one.
    if (!(await condition(() => waiting !== undefined, input.idleMs ?? DEFAULT_PR_SCAN_IDLE_MS))) return;
    // Debounce: a newer head within the quiet window restarts the wait.
    for (let seen = waiting; await condition(() => waiting !== seen, quietWindowMs); seen = waiting);
    await supersedePassedOver();
    const request = waiting!;
    waiting = undefined;
    checking = request;
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
        if (newest()?.checkId !== request.checkId)
          await CancellationScope.nonCancellable(() => acts.supersede(step));
      } else {
        const errorCode = errorCodeOf(error);
        log.warn('pull-request check failed', { checkId: request.checkId, errorCode });
        await CancellationScope.nonCancellable(() =>
          acts.fail({ ...step, errorCode }).catch((failed: unknown) =>
            // The row and GitHub are out of reach too: a rerequest tries again.
            log.error('failed check not recorded', { checkId: request.checkId, error: String(failed) }),
          ),
        );
      }
    } finally {
      checking = undefined;
      checkScope = undefined;
    }
    checks++;
    if (checks >= checksPerRun || workflowInfo().continueAsNewSuggested) {
      await supersedePassedOver();
      // Only the newest request travels: history and input stay small.
      const { carried: _carried, ...settings } = input;
      await continueAsNew<typeof prScanWorkflow>({ ...settings, ...(waiting ? { carried: waiting } : {}) });
    }
  }
}
