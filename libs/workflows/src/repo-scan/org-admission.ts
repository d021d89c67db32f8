import { ActivityFailure, ApplicationFailure, sleep } from '@temporalio/workflow';
import { ORG_BUSY_FAILURE } from '@repoguard/contract';

// Short first waits: the org's other steps are usually a few seconds from done. The cap keeps a
// long wait from growing the history fast (each turn is one activity attempt and one timer).
const FIRST_WAIT_MS = 500;
const MAX_WAIT_MS = 5_000;

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
        const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(turn, 4));
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
