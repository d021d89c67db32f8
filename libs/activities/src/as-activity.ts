import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, IntegrationUnavailableError, type ScanStepName } from '@repoguard/domain';

/**
 * How a failed step tells Temporal whether to retry: domain errors are permanent (a missing repo,
 * an oversized file, an invalid policy) and carry their code as the failure type; an unavailable
 * integration is retried, after the wait it asked for; anything else (a dropped database
 * connection, say) is left to the retry policy as it is.
 */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof IntegrationUnavailableError) {
    return ApplicationFailure.create({
      type: error.code,
      message: error.message,
      nonRetryable: false,
      details: [{ integration: error.integration, reason: error.reason }],
      ...(error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
    });
  }
  if (error instanceof DomainError) {
    return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
  }
  return error;
}

/**
 * What a step body gets besides its cancellation signal: the progress the attempt before it
 * reported (so a retry resumes instead of restarting) and a way to report its own.
 */
export interface StepProgress {
  /** The last heartbeat details of the previous attempt; undefined on a first attempt. */
  readonly resumeFrom: unknown;
  /** Sent with this heartbeat and every later one, so the retry after a crash starts from here. */
  report(details: unknown): void;
  /**
   * Throws the cancellation once the step was cancelled or timed out (heartbeats bring the news):
   * called before each write, so a step nobody waits for any more writes nothing further.
   */
  stopIfCancelled(): void;
}

/**
 * Runs an activity body: errors mapped as above, and a liveness heartbeat while it runs when the
 * workflow set a heartbeat timeout, so a worker that dies mid-step is noticed within that timeout
 * instead of the step's whole start-to-close timeout. The body gets the activity's cancellation
 * signal (none outside Temporal): heartbeats bring the news that the step was cancelled or timed
 * out, and a body that hands the signal on stops work nobody waits for any more. `progress` is
 * what each heartbeat carries when given (else the last `step.report`; the server keeps the
 * last): a retry reads it to resume.
 */
export async function asActivity<T>(
  work: (cancelled: AbortSignal | undefined, step: StepProgress) => Promise<T>,
  scan?: { readonly scanId: string; readonly correlationId?: string; readonly step?: ScanStepName },
  progress?: () => unknown,
): Promise<T> {
  const context = currentContext();
  const heartbeatTimeoutMs = context?.info.heartbeatTimeoutMs;
  // A step run inside another (rematchSnapshot runs four) shares the outer one's beat and progress:
  // a beat of its own, or the outer one's without details, would erase what the inner one reported.
  const outer = context ? reported.get(context) : undefined;
  // Every beat repeats the last progress reported: a beat without details would erase it.
  const shared = outer ?? { details: undefined as unknown };
  if (context && !outer) reported.set(context, shared);
  const beat =
    heartbeatTimeoutMs && !outer
      ? setInterval(
          () => context.heartbeat(progress ? progress() : shared.details),
          Math.max(100, Math.floor(heartbeatTimeoutMs / 3)),
        )
      : undefined;
  const cancelled = context?.cancellationSignal;
  const step: StepProgress = {
    resumeFrom: context?.info.heartbeatDetails,
    report(progress) {
      shared.details = progress;
      context?.heartbeat(progress);
    },
    stopIfCancelled() {
      cancelled?.throwIfAborted();
    },
  };
  // The SDK's activity logger adds the workflow, run and activity ids; the scan's correlation id
  // ties the lines to the API request or webhook delivery that asked for it; `phase` names the
  // step as the API's phase_timings_ms and the metrics' phase label do.
  const fields = scan
    ? {
        scanId: scan.scanId,
        correlationId: scan.correlationId ?? null,
        ...(scan.step ? { phase: scan.step } : {}),
      }
    : {};
  const started = Date.now();
  context?.log.info('step started', fields);
  try {
    const result = await work(cancelled, step);
    context?.log.info('step completed', { ...fields, durationMs: Date.now() - started });
    return result;
  } catch (error) {
    const failure = toActivityFailure(error);
    context?.log.warn('step failed', {
      ...fields,
      durationMs: Date.now() - started,
      code: failure instanceof ApplicationFailure ? failure.type : 'UNEXPECTED',
      message: failure instanceof Error ? failure.message : String(failure),
    });
    throw failure;
  } finally {
    clearInterval(beat);
    if (context && !outer) reported.delete(context);
  }
}

/** The progress last reported in each running activity, by its outermost step. */
const reported = new WeakMap<Context, { details: unknown }>();

// Activities also run outside Temporal (unit tests with in-memory ports): no context, no heartbeat.
function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
