import { ApplicationFailure, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import type { ExpireTriageInput } from '@repoguard/contract';

const { expireTriage } = proxyActivities<Activities>({
  // One short transaction; retried until it gets through (the sweep does the same work meanwhile).
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Asks again this many times when the worker's clock says the expiry has not come yet. */
const EARLY_ATTEMPTS = 5;

/**
 * One ignore's expiry: sleeps until it, then reopens the finding and re-judges its repository
 * (the activity does nothing when the decision changed meanwhile: another expiry has its own timer).
 */
export async function expireTriageWorkflow(input: ExpireTriageInput): Promise<string> {
  const at = Date.parse(input.expiresAt);
  if (Number.isNaN(at))
    throw ApplicationFailure.nonRetryable(`not a time: ${input.expiresAt}`, 'INVALID_EXPIRY');
  // Date.now() in a workflow is the time of the task, replayed as it was.
  const wait = at - Date.now();
  if (wait > 0) await sleep(wait);
  for (let attempt = 1; ; attempt++) {
    const result = await expireTriage(input);
    // A worker clock behind the timer's: wait what it says is left (the sweep is the backstop).
    if (result.outcome !== 'not_yet' || attempt >= EARLY_ATTEMPTS) return result.outcome;
    await sleep(Math.max(result.waitMs, 100));
  }
}
