import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type Clock,
  type ListedFinding,
  type TriageExpiryTimer,
  type UnitOfWork,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import type { ReevaluateRepositoryStatus } from '../repositories/reevaluate-repository-status.use-case';

export interface TriageFindingCommand {
  readonly caller: Caller;
  readonly findingId: string;
  readonly status: 'ignored' | 'open';
  /** Why it does not matter (required to ignore: the request's validation says so). */
  readonly reason?: string;
  /** When an ignore decision lapses. */
  readonly expiresAt?: Date;
}

/**
 * Ignores a finding (with a reason, until a date) or reopens it, recording who and when; audited.
 * The repository's status is judged again in the same transaction. A fixed or withdrawn finding is
 * done. An ignore with an expiry starts its timer once saved, which reopens the finding then.
 */
export class TriageFinding {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly reevaluate: ReevaluateRepositoryStatus,
    private readonly expiry: {
      readonly timer?: TriageExpiryTimer;
      readonly warn?: (message: string) => void;
    } = {},
  ) {}

  async execute({
    caller,
    findingId,
    status,
    reason,
    expiresAt,
  }: TriageFindingCommand): Promise<ListedFinding> {
    const finding = await this.uow.transaction(caller.scope, async (stores) => {
      const { findingTriage, repositories, audit } = stores;
      const found = await findingTriage.get(findingId);
      if (!found) throw new NotFoundError('FINDING_NOT_FOUND', `No finding with id ${findingId}`);
      // Before the finding's row: a scan's findings sync holds this lock while it waits for that row.
      // Then the finding as it is once the lock is held: a sync may have closed it meanwhile.
      await repositories.holdOutcome(found.repoId);
      const finding = await findingTriage.get(findingId);
      if (!finding) throw new NotFoundError('FINDING_NOT_FOUND', `No finding with id ${findingId}`);
      if (finding.status === 'fixed') {
        throw new ConflictError('FINDING_FIXED', 'This finding is fixed: there is nothing to triage', [
          { field: 'status', problem: 'the finding is fixed' },
        ]);
      }
      if (finding.status === 'withdrawn') {
        throw new ConflictError(
          'FINDING_WITHDRAWN',
          'This finding’s advisory was withdrawn: there is nothing to triage',
          [{ field: 'status', problem: 'the finding is withdrawn' }],
        );
      }
      if (status === 'ignored' && expiresAt && expiresAt.getTime() <= this.clock.now().getTime()) {
        throw new ValidationError('expires_at must be in the future', [
          { field: 'expires_at', problem: 'must be in the future' },
        ]);
      }
      const triageReason = reason?.trim() ?? null;
      await findingTriage.decide(finding.id, {
        status,
        reason: triageReason,
        expiresAt: status === 'ignored' ? (expiresAt ?? null) : null,
        decidedBy: { actorType: caller.actor.actorType, actorId: caller.actor.actorId },
        decidedAt: this.clock.now(),
      });
      audit.record(caller.actor, {
        orgId: finding.orgId,
        action: status === 'ignored' ? 'finding.ignored' : 'finding.reopened',
        targetType: 'finding',
        targetId: finding.id,
        metadata: {
          from: finding.status,
          reason: triageReason,
          expires_at: expiresAt?.toISOString() ?? null,
          vulnerability_id: finding.vulnerabilityId,
          package: `${finding.ecosystem}/${finding.packageName}@${finding.version}`,
        },
      });
      await this.reevaluate.within(stores, {
        actor: caller.actor,
        repoId: finding.repoId,
        cause: 'finding.triaged',
      });
      return finding;
    });
    if (status === 'ignored' && expiresAt) await this.startExpiryTimer(finding.id, expiresAt);
    const superseded = finding.status === 'ignored' ? (finding.triageExpiresAt ?? null) : null;
    const kept = status === 'ignored' && expiresAt?.getTime() === superseded?.getTime();
    if (superseded && !kept) await this.cancelExpiryTimer(finding.id, superseded);
    return this.uow.read(caller.scope, async ({ findingQueries }) => {
      const { items } = await findingQueries.page(
        { repoId: finding.repoId, findingId: finding.id },
        { limit: 1, offset: 0 },
      );
      return items[0]!;
    });
  }

  /** After the commit, best effort: left running, the timer only sleeps until a no-op. */
  private async cancelExpiryTimer(findingId: string, expiresAt: Date): Promise<void> {
    if (!this.expiry.timer) return;
    try {
      await this.expiry.timer.cancel(findingId, expiresAt);
    } catch (error) {
      this.expiry.warn?.(
        `superseded expiry timer of finding ${findingId} (${expiresAt.toISOString()}) not cancelled: ${(error as Error).message}`,
      );
    }
  }

  /**
   * After the commit: a timer for a decision that failed would reopen nothing, harmlessly, but one
   * started before it might fire first. Temporal being down costs nothing but timeliness: the
   * decision stands, and the repository-status sweep reopens the finding at its next round.
   */
  private async startExpiryTimer(findingId: string, expiresAt: Date): Promise<void> {
    if (!this.expiry.timer) return;
    try {
      await this.expiry.timer.start(findingId, expiresAt);
    } catch (error) {
      this.expiry.warn?.(
        `expiry timer of finding ${findingId} not started (the sweep reopens it at ${expiresAt.toISOString()}): ${(error as Error).message}`,
      );
    }
  }
}
