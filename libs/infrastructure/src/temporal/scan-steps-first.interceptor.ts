import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { REPO_SCAN_WORKFLOW } from '@repoguard/contract';

/**
 * The scan-queue steps (pushes, API scans) this worker process runs right now, and when the last one
 * ended. The re-match worker in the same process reads it to stand back: both share one event loop,
 * the same cores and the same database, so a sync's re-matches running beside a push's scan slow
 * every one of its steps (measured: 2.5x at 1,000 re-matches on two cores).
 */
export class ScanStepsInFlight {
  private running = 0;
  private lastEndedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A step began; the function it returns says it ended (once, however often it is called). */
  started(): () => void {
    this.running++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.running--;
      this.lastEndedAt = this.now();
    };
  }

  /**
   * How long a re-match should stand back before looking again: while a scan step runs, `pollMs`;
   * after the last one ended, what is left of `graceMs` (a scan's next step is scheduled a workflow
   * task after its last, and the gap must not let the re-matches in); else 0.
   */
  standBackMs(graceMs: number, pollMs: number): number {
    if (this.running > 0) return pollMs;
    return Math.max(0, graceMs - (this.now() - this.lastEndedAt));
  }
}

/**
 * Counts the repository scans' steps on the scan-queue worker it is installed on into `inFlight`. The
 * advisory sync and the self-check run on that queue too; counted, a sync's import (up to 30 min) or
 * its request pages would hold back the very re-matches it asks for.
 */
export function scanStepsInFlightInterceptor(inFlight: ScanStepsInFlight): ActivityInterceptorsFactory {
  return (ctx: Context) => ({
    inbound: {
      async execute(input, next) {
        if (ctx.info.workflowType !== REPO_SCAN_WORKFLOW) return next(input);
        const ended = inFlight.started();
        try {
          return await next(input);
        } finally {
          ended();
        }
      },
    },
  });
}

export interface StandBackLimits {
  /** A scan step that ended this recently still holds the re-matches back. */
  readonly graceMs: number;
  /** At most this long per re-match step, so a stream of pushes slows a sync but never stops it. */
  readonly maxHoldMs: number;
}

const POLL_MS = 50;

/**
 * A held step keeps at least this share of its start-to-close timeout for its work: a hold
 * configured past it (REMATCH_STANDS_BACK_MS allows 10 min, database steps have 1) would time the
 * step out before it began, attempt after attempt.
 */
const MAX_HOLD_SHARE_OF_START_TO_CLOSE = 0.25;

/**
 * A scan's next step is scheduled a workflow task after its last one ended: a few tens of ms on an
 * idle server, some hundreds on a busy one. Re-matches wait this long after a scan step so that gap
 * does not let them in.
 */
export const SCAN_STEP_GAP_MS = 500;

/**
 * On the re-match worker: a step waits to begin while scan steps run in this process (at most
 * `maxHoldMs`, and at most a quarter of its start-to-close timeout). It keeps its slot meanwhile,
 * which is the point: the re-matches' share of the machine goes to the push. It heartbeats (repeating the last attempt's details, which a bare beat
 * would erase), so it is not timed out, and it hears of a cancellation, which ends the wait.
 */
export function rematchStandsBackInterceptor(
  inFlight: ScanStepsInFlight,
  limits: StandBackLimits,
): ActivityInterceptorsFactory {
  return (ctx: Context) => ({
    inbound: {
      async execute(input, next) {
        const { startToCloseTimeoutMs } = ctx.info;
        const hold =
          startToCloseTimeoutMs > 0
            ? Math.min(limits.maxHoldMs, startToCloseTimeoutMs * MAX_HOLD_SHARE_OF_START_TO_CLOSE)
            : limits.maxHoldMs;
        const until = Date.now() + hold;
        for (;;) {
          const wait = Math.min(inFlight.standBackMs(limits.graceMs, POLL_MS), until - Date.now());
          if (wait <= 0) break;
          ctx.heartbeat(ctx.info.heartbeatDetails);
          // Rejects with the cancellation when the workflow cancels the step (a push to its repository).
          await ctx.sleep(wait);
        }
        return next(input);
      },
    },
  });
}
