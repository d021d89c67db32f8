import { ActivityFailure, ApplicationFailure, sleep } from '@temporalio/workflow';
import { ORG_BUSY_FAILURE } from '@repoguard/contract';

// Short first waits: the org's other steps are usually a few seconds from done. Each turn adds
// about ten history events (an activity attempt and a timer), so a wait that outlasts the first
// minutes backs off to half a minute: the history's 51,200-event limit is then a day of waiting
// away, not the hour or so that 5 s turns would give.
const FIRST_WAIT_MS = 500;
const SHORT_WAIT_MS = 5_000;
const SHORT_TURNS = 30;
const LONG_WAIT_MS = 30_000;

/**
 * A scan step that a worker may turn away with ORG_BUSY (its org holds its share of that worker's
 * slots): the step is asked for again after a timer, which holds no worker slot, until a worker
 * takes it. Any other outcome is the step's own.
 */
export function whenOrgAdmits<A extends unknown[], R>(step: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    for (let turn = 0; ; turn++) {
      try {
        return await step(...args);
      } catch (error) {
        if (!isOrgBusy(error)) throw error;
        const wait =
          turn < SHORT_TURNS ? Math.min(SHORT_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(turn, 4)) : LONG_WAIT_MS;
        // Jitter (Math.random is deterministic in workflows) spreads one org's waiting steps apart.
        await sleep(Math.round(wait * (0.5 + Math.random() / 2)));
      }
    }
  };
}

function isOrgBusy(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === ORG_BUSY_FAILURE
  );
}
