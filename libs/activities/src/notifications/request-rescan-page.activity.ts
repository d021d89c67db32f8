import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { RequestScan } from '@repoguard/application';
import { DomainError, SYSTEM_SCOPE, type RescanTargets } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { RequestRescanPageInput, RequestRescanPageResult } from './notification-activity.types';

export interface RequestRescanPageDeps {
  readonly requestScan: RequestScan;
  readonly rescanTargets: RescanTargets;
}

// Disabled or disconnected since the page was read: nothing to scan.
const GONE = new Set(['REPO_DISABLED', 'REPO_NOT_FOUND']);

interface Progress {
  readonly after: string | null;
  readonly requested: number;
}

/**
 * Asks for a scan of the default branch of each repository on one page of the org's enabled
 * repositories, through the API's own path (outbox, audit, relay). Each request's id comes from
 * the run and the repository, so a retried attempt (or page) asks once per repository per run; the
 * heartbeat carries the place reached, so a retry resumes there.
 */
export function createRequestRescanPageActivity({ requestScan, rescanTargets }: RequestRescanPageDeps) {
  return async function requestRescanPage(input: RequestRescanPageInput): Promise<RequestRescanPageResult> {
    return asActivity(async (cancelled, step) => {
      const resumed = step.resumeFrom as Progress | undefined;
      let progress: Progress =
        resumed && typeof resumed.requested === 'number'
          ? resumed
          : { after: input.afterRepoId, requested: 0 };
      const page = await rescanTargets.page(input.orgId, input.afterRepoId, input.limit);
      // The requests go to the queue this activity was given: the one the rescan workflow runs on.
      const taskQueue = activityTaskQueue();
      const caller = {
        scope: SYSTEM_SCOPE,
        actor: { actorType: 'system' as const, actorId: input.runKey, correlationId: input.runKey, ip: null },
      };
      for (const repo of page) {
        if (progress.after !== null && repo.id <= progress.after) continue;
        if (cancelled?.aborted) throw new Error('rescan page cancelled');
        try {
          await requestScan.execute({
            caller,
            repoId: repo.id,
            trigger: 'schedule',
            requestedBy: `schedule:${input.runKey}`,
            requestId: rescanRequestId(input.runKey, repo.id),
            ...(taskQueue ? { routing: { taskQueue } } : {}),
          });
          progress = { after: repo.id, requested: progress.requested + 1 };
        } catch (error) {
          if (!(error instanceof DomainError && GONE.has(error.code))) {
            // Temporal refusing is transient: a plain error is left to the retry policy.
            if (error instanceof DomainError && error.kind === 'unavailable') throw new Error(error.message);
            throw error;
          }
          progress = { ...progress, after: repo.id };
        }
        step.report(progress);
      }
      return {
        requested: progress.requested,
        nextAfter: page.length < input.limit ? null : (page.at(-1)?.id ?? null),
      };
    });
  };
}

function activityTaskQueue(): string | undefined {
  try {
    return Context.current().info.taskQueue;
  } catch {
    return undefined; // outside Temporal (unit tests)
  }
}

/** One id per rescan run and repository, in UUID form (the outbox's key). */
export function rescanRequestId(runKey: string, repoId: string): string {
  const hex = createHash('sha256').update(`rescan\n${runKey}\n${repoId}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
