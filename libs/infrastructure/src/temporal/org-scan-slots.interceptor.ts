import type { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { ORG_BUSY_FAILURE } from '@repoguard/contract';

/**
 * The scan steps an org's share covers. recordScanFailure is left out: it is short, and a scan that
 * failed must be able to say so however busy its org is.
 */
const BOUNDED_STEPS: ReadonlySet<string> = new Set([
  'fetchManifest',
  'parse',
  'osvQuery',
  'persist',
  'evaluatePolicy',
  'beginRematch',
  'rematchSnapshot',
]);

/** How many of one worker's activity slots each org's scan steps hold right now. */
export class OrgScanSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly perOrg: number) {
    if (!Number.isInteger(perOrg) || perOrg < 1) throw new RangeError('perOrg must be a whole number >= 1');
  }

  /** A release function when the org is under its share, else null. */
  tryAcquire(orgId: string): (() => void) | null {
    const count = this.held.get(orgId) ?? 0;
    if (count >= this.perOrg) return null;
    this.held.set(orgId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(orgId) ?? 1) - 1;
      if (left > 0) this.held.set(orgId, left);
      else this.held.delete(orgId);
    };
  }

  heldBy(orgId: string): number {
    return this.held.get(orgId) ?? 0;
  }
}

/**
 * Bounds how many scan steps of one org this worker runs at once, so an org with many or slow
 * repositories cannot hold every slot. A step over its org's share fails at once with ORG_BUSY
 * before any work; the workflow then waits on a timer, which holds no slot, and asks again, while
 * the freed slot goes to the next task in the queue (another org's, by fairness key).
 * Per worker process: with W workers an org holds at most W x perOrg slots in all, and every
 * worker always keeps the rest of its slots for the other orgs.
 */
export function orgScanSlotsInterceptor(slots: OrgScanSlots): ActivityInterceptorsFactory {
  return (ctx: Context) => {
    if (!BOUNDED_STEPS.has(ctx.info.activityType)) return {};
    return {
      inbound: {
        async execute(input, next) {
          const orgId = orgIdOf(input.args[0]);
          if (orgId === null) return next(input);
          const release = slots.tryAcquire(orgId);
          if (!release) {
            throw ApplicationFailure.create({
              type: ORG_BUSY_FAILURE,
              message: `org ${orgId} already runs ${slots.perOrg} scan step(s) on this worker`,
              // The workflow decides when to ask again; Temporal's retry would spend the step's attempts.
              nonRetryable: true,
              // Expected under load: logged at debug, not as a failed activity in the SDK's metrics.
              category: ApplicationFailureCategory.BENIGN,
            });
          }
          try {
            return await next(input);
          } finally {
            release();
          }
        },
      },
    };
  };
}

function orgIdOf(arg: unknown): string | null {
  if (typeof arg !== 'object' || arg === null) return null;
  const orgId = (arg as { orgId?: unknown }).orgId;
  return typeof orgId === 'string' && orgId.length > 0 ? orgId : null;
}
