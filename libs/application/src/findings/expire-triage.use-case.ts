import { SYSTEM_SCOPE, type AuditContext, type Clock, type UnitOfWork } from '@repoguard/domain';
import type { ReevaluateRepositoryStatus } from '../repositories/reevaluate-repository-status.use-case';

export interface ExpireTriageCommand {
  readonly findingId: string;
  /** The expiry the timer was started for. */
  readonly expiresAt: Date;
}

/**
 * `expired`: the finding was opened and its repository judged again here. `superseded`: nothing to
 * do (the finding is gone, no longer ignored, ignored with another expiry, or already opened by the
 * sweep or a scan). `not_yet`: the expiry has not passed by this process's clock; ask again in
 * `waitMs`.
 */
export type ExpireTriageOutcome =
  { readonly outcome: 'expired' | 'superseded' } | { readonly outcome: 'not_yet'; readonly waitMs: number };

const SYSTEM_ACTOR: AuditContext = { actorType: 'system', actorId: null, correlationId: null, ip: null };

/**
 * The expiry timer's work: at an ignore's expiry, opens the finding, judges its repository again
 * and records `triage.expired` (and `repo.status_changed` when the status moves), all in one
 * transaction under the repository's lock. The opening itself is the re-judging's (as for the
 * sweep), so whichever of the timer, the sweep or a scan's sync comes first does it, once.
 */
export class ExpireTriage {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reevaluate: ReevaluateRepositoryStatus,
    private readonly clock: Clock,
  ) {}

  execute({ findingId, expiresAt }: ExpireTriageCommand): Promise<ExpireTriageOutcome> {
    return this.uow.transaction(SYSTEM_SCOPE, async (stores) => {
      const { findingTriage, repositories } = stores;
      const found = await findingTriage.get(findingId);
      if (!found) return { outcome: 'superseded' };
      // The lock before the finding is read again: a sync or a triage decision may be under way.
      await repositories.holdOutcome(found.repoId);
      const finding = await findingTriage.get(findingId);
      if (
        !finding ||
        finding.status !== 'ignored' ||
        finding.triageExpiresAt?.getTime() !== expiresAt.getTime()
      ) {
        return { outcome: 'superseded' };
      }
      const waitMs = expiresAt.getTime() - this.clock.now().getTime();
      if (waitMs > 0) return { outcome: 'not_yet', waitMs };
      await this.reevaluate.within(stores, {
        actor: SYSTEM_ACTOR,
        repoId: finding.repoId,
        cause: 'status.due',
      });
      return { outcome: 'expired' };
    });
  }
}
