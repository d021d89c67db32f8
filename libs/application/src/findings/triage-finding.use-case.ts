import {
  ConflictError,
  NotFoundError,
  ValidationError,
  findingStatusOfVexState,
  vexAnalysisOfDecision,
  vexAnalysisOfIgnore,
  type Clock,
  type ListedFinding,
  type UnitOfWork,
  type VexDecisionInput,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import {
  cancelSupersededExpiryTimer,
  recordTriageDecision,
  type TriageChoice,
  type TriageExpiry,
} from './triage-decision';
import type { ReevaluateRepositoryStatus } from '../repositories/reevaluate-repository-status.use-case';

interface TriageFindingTarget {
  readonly caller: Caller;
  readonly findingId: string;
  /** When the decision lapses (ignored when reopening). */
  readonly expiresAt?: Date;
}

/** Today's ignore or reopen: an ignore is `not_affected` with the reason as its detail. */
interface StatusTriage extends TriageFindingTarget {
  readonly status: 'ignored' | 'open';
  /** Why it does not matter (required to ignore: the request's validation says so). */
  readonly reason?: string;
  readonly vex?: undefined;
}

/** A decision in VEX terms, checked by vexAnalysisOfDecision (wrong combinations: 400). */
interface VexTriage extends TriageFindingTarget {
  readonly vex: VexDecisionInput;
  readonly status?: undefined;
}

export type TriageFindingCommand = StatusTriage | VexTriage;

/** The decision a command asks for, in the words of the audit trail. */
function choiceOf(command: TriageFindingCommand): TriageChoice {
  const expiresAt = command.expiresAt ?? null;
  if (command.vex) {
    return { kind: 'vex', analysis: vexAnalysisOfDecision(command.vex), reason: null, expiresAt };
  }
  const reason = command.reason?.trim() ?? null;
  return command.status === 'ignored'
    ? { kind: 'ignore', analysis: vexAnalysisOfIgnore(reason), reason, expiresAt }
    : { kind: 'reopen', analysis: null, reason, expiresAt: null };
}

/**
 * Decides about a finding in VEX terms (an ignore is `not_affected`, a reopen clears the analysis),
 * maybe until a date, recording who and when; audited. The finding leaves the policy's count when
 * the state says so, and the repository's status is judged again in the same transaction. A fixed
 * or withdrawn finding is done. An ignore with an expiry starts its timer once saved, which
 * reopens the finding then (a decision that keeps the finding open just stops holding then).
 */
export class TriageFinding {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly reevaluate: ReevaluateRepositoryStatus,
    private readonly expiry: TriageExpiry = {},
  ) {}

  async execute(command: TriageFindingCommand): Promise<ListedFinding> {
    const { caller, findingId } = command;
    const choice = choiceOf(command);
    const finding = await this.uow.transaction(caller.scope, async (stores) => {
      const { findingTriage, repositories } = stores;
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
      if (choice.expiresAt && choice.expiresAt.getTime() <= this.clock.now().getTime()) {
        throw new ValidationError('expires_at must be in the future', [
          { field: 'expires_at', problem: 'must be in the future' },
        ]);
      }
      await recordTriageDecision(stores, caller.actor, finding, choice, this.clock.now());
      await this.reevaluate.within(stores, {
        actor: caller.actor,
        repoId: finding.repoId,
        cause: 'finding.triaged',
      });
      return finding;
    });
    const ignoredUntil =
      choice.analysis && findingStatusOfVexState(choice.analysis.state) === 'ignored'
        ? choice.expiresAt
        : null;
    if (ignoredUntil) await this.startExpiryTimer(finding.id, ignoredUntil);
    const superseded = finding.status === 'ignored' ? (finding.triageExpiresAt ?? null) : null;
    const kept = ignoredUntil?.getTime() === superseded?.getTime();
    if (superseded && !kept) await cancelSupersededExpiryTimer(this.expiry, finding.id, superseded);
    return this.uow.read(caller.scope, async ({ findingQueries }) => {
      const { items } = await findingQueries.page(
        { repoId: finding.repoId, findingId: finding.id },
        { limit: 1, offset: 0 },
      );
      return items[0]!;
    });
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
