import { SYSTEM_SCOPE, type Clock, type UnitOfWork } from '@repoguard/domain';
import type { ReevaluateRepositoryStatus } from './reevaluate-repository-status.use-case';

export interface ReevaluateDueRepositoryStatusesCommand {
  /** Repositories judged in one round at most. */
  readonly limit: number;
}

export interface ReevaluationRound {
  /** Due repositories looked at. */
  readonly due: number;
  /** Of those, judged here (the rest were judged by another process meanwhile, or are gone). */
  readonly judged: number;
  readonly changed: number;
  /** Failed (logged by the caller through the error's message); each is postponed a while. */
  readonly failed: readonly string[];
  /** The round was full: more may be due. */
  readonly more: boolean;
}

/**
 * The sweep: judges again every repository whose stored status is due (an ignore it counted on
 * lapsed, or a policy change whose own re-evaluation did not finish). Each repository in its own
 * transaction under its scan-outcome lock, judged only if still due once the lock is held, so any
 * number of API processes may sweep at once: each due repository is judged once, by whoever
 * takes its lock first.
 */
export class ReevaluateDueRepositoryStatuses {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reevaluate: ReevaluateRepositoryStatus,
    private readonly clock: Clock,
  ) {}

  async execute({ limit }: ReevaluateDueRepositoryStatusesCommand): Promise<ReevaluationRound> {
    const due = await this.uow.read(SYSTEM_SCOPE, ({ repositories }) =>
      repositories.dueForReevaluation(this.clock.now(), limit),
    );
    let judged = 0;
    let changed = 0;
    const failed: string[] = [];
    for (const repo of due) {
      try {
        const change = await this.reevaluate.execute({
          scope: SYSTEM_SCOPE,
          actor: { actorType: 'system', actorId: null, correlationId: null, ip: null },
          repoId: repo.id,
          cause: 'status.due',
          onlyIfDue: true,
        });
        if (!change) continue;
        judged++;
        if (change.from !== change.to) changed++;
      } catch (error) {
        // One repository that cannot be judged must not hold back the others: not in this round,
        // nor, postponed, in the next ones, where it would come first again.
        const retryAt = await this.reevaluate.postponeAfterFailure(SYSTEM_SCOPE, repo.id);
        const retry = retryAt ? `; tried again at ${retryAt.toISOString()}` : '';
        failed.push(`${repo.id}: ${(error as Error).message}${retry}`);
      }
    }
    // Every repository of a full round left the due ones (judged, postponed, or judged elsewhere).
    return { due: due.length, judged, changed, failed, more: due.length === limit };
  }
}
