import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { RequestScan } from '@repoguard/application';
import { DomainError, SYSTEM_SCOPE, type AdvisorySyncRuns } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import { RematchPacer, type PacerClock, type RematchPacing } from './rematch-pacer';
import type {
  RequestRematchPageInput,
  RequestRematchPageProgress,
  RequestRematchPageResult,
} from './advisory-activity.types';

export interface RequestRematchPageDeps {
  readonly requestScan: RequestScan;
  readonly syncRuns: AdvisorySyncRuns;
  /** Keeps only a few re-match requests open at a time; absent: all at once. */
  readonly rematchPacing?: RematchPacing;
}

/**
 * The share of the page's start-to-close timeout (counted from the attempt's start) during which it
 * paces: the rest is for requesting what is left of the page at once, should the scans be that slow.
 */
const PACING_SHARE_OF_START_TO_CLOSE = 0.5;

// Disabled or disconnected since the targets were found: nothing to match again.
const GONE = new Set(['REPO_DISABLED', 'REPO_NOT_FOUND']);

/**
 * Asks the scan workflow of each target on one page of the sync run's stored list to match its
 * snapshot again. The page is read from the database (the workflow passes only where it starts);
 * each heartbeat carries the place reached, so a retried attempt resumes there; and each request's
 * id is derived from the run and the snapshot, so one asked for twice is recorded and sent once.
 */
export function createRequestRematchPageActivity({
  requestScan,
  syncRuns,
  rematchPacing,
}: RequestRematchPageDeps) {
  return async function requestRematchPage(
    input: RequestRematchPageInput,
  ): Promise<RequestRematchPageResult> {
    const end = input.fromSeq + input.limit;
    const resumed = resumedAt();
    const progress = {
      nextSeq: Math.max(input.fromSeq, resumed?.nextSeq ?? 0),
      requested: resumed?.requested ?? 0,
    };
    return asActivity(
      async (cancelled) => {
        const caller = {
          scope: SYSTEM_SCOPE,
          actor: {
            actorType: 'system' as const,
            actorId: input.syncRunId,
            correlationId: input.syncRunId,
            ip: null,
          },
        };
        const targets =
          progress.nextSeq < end
            ? await syncRuns.targets(input.syncRunId, progress.nextSeq, end - progress.nextSeq)
            : [];
        const clock = activityClock();
        const pacer = new RematchPacer(rematchPacing, clock.now() + pacingBudgetMs(), clock, warn);
        // The requests just before this page's (or this attempt's) place may still be open: a new
        // page or a retried attempt counts them, so it does not open the limit's worth again.
        const openBefore = Math.min(rematchPacing?.limit ?? 0, progress.nextSeq - 1);
        if (targets.length > 0 && openBefore > 0) {
          const earlier = await syncRuns.targets(input.syncRunId, progress.nextSeq - openBefore, openBefore);
          for (const target of earlier)
            pacer.asked(rematchRequestId(input.syncRunId, target.repoId, target.snapshotId));
        }
        for (const target of targets) {
          // Cancelled or timed out: whoever asked no longer waits; the retry resumes from here.
          if (cancelled?.aborted) throw new Error('re-match page cancelled');
          await pacer.next(() => heartbeat(progress));
          // A cancellation heard during the last look-up: ask for nothing more.
          cancelled?.throwIfAborted();
          try {
            // A request already held under this id is this run's own, from an attempt whose
            // answer was lost: recorded and sent once, counted once.
            const requestId = rematchRequestId(input.syncRunId, target.repoId, target.snapshotId);
            await requestScan.execute({
              caller,
              repoId: target.repoId,
              trigger: 'advisory',
              requestedBy: input.syncRunId,
              requestId,
              snapshotId: target.snapshotId,
              stepsTaskQueue: input.rematchTaskQueue,
              routing: {
                taskQueue: input.scanTaskQueue,
                ...(input.scanTiming ? { timing: input.scanTiming } : {}),
              },
            });
            pacer.asked(requestId);
            progress.requested++;
          } catch (error) {
            if (!(error instanceof DomainError && GONE.has(error.code))) {
              // Temporal refusing is transient: a plain error is left to the retry policy.
              if (error instanceof DomainError && error.kind === 'unavailable')
                throw new Error(error.message);
              throw error;
            }
          }
          progress.nextSeq = target.seq + 1;
          // Recorded at once (the SDK throttles what it sends, and flushes the last on failure).
          heartbeat(progress);
        }
        return { requested: progress.requested };
      },
      undefined,
      (): RequestRematchPageProgress => ({ ...progress }),
    );
  };
}

/** Unbounded outside Temporal (unit tests), where no timeout applies. */
function pacingBudgetMs(): number {
  try {
    const { startToCloseTimeoutMs } = Context.current().info;
    return startToCloseTimeoutMs > 0
      ? startToCloseTimeoutMs * PACING_SHARE_OF_START_TO_CLOSE
      : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The activity's sleep ends with its cancellation (a cancelled sync stops waiting at once). */
function activityClock(): PacerClock {
  return {
    now: () => Date.now(),
    sleep: (ms) => {
      try {
        return Context.current().sleep(ms);
      } catch {
        return new Promise((resolve) => setTimeout(resolve, ms));
      }
    },
  };
}

function warn(message: string): void {
  try {
    Context.current().log.warn(message);
  } catch {
    // outside Temporal (unit tests)
  }
}

function heartbeat(progress: RequestRematchPageProgress): void {
  try {
    Context.current().heartbeat({ ...progress });
  } catch {
    // outside Temporal (unit tests)
  }
}

/** Where an earlier attempt of this activity got to, from its last heartbeat. */
function resumedAt(): RequestRematchPageProgress | undefined {
  try {
    const details = Context.current().info.heartbeatDetails as RequestRematchPageProgress | undefined;
    return typeof details?.nextSeq === 'number' && typeof details.requested === 'number'
      ? details
      : undefined;
  } catch {
    return undefined; // outside Temporal (unit tests)
  }
}

/**
 * One id per sync run and snapshot, in UUID form (the outbox's key): a retried page, or a run
 * resumed after continue-as-new, asks for the same re-match again and is recognised.
 */
export function rematchRequestId(syncRunId: string, repoId: string, snapshotId: string): string {
  const hex = createHash('sha256').update(`${syncRunId}\n${repoId}\n${snapshotId}`).digest('hex');
  // Version 8 (custom) and the RFC 4122 variant, so it is a well-formed UUID.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
