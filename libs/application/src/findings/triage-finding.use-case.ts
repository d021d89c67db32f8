import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type Clock,
  type ListedFinding,
  type UnitOfWork,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface TriageFindingCommand {
  readonly caller: Caller;
  readonly findingId: string;
  readonly status: 'ignored' | 'open';
  /** Why it does not matter (required to ignore: the request's validation says so). */
  readonly reason?: string;
  /** When an ignore decision lapses. */
  readonly expiresAt?: Date;
}

/** Ignores a finding (with a reason, until a date) or reopens it; audited. A fixed finding is done. */
export class TriageFinding {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute({
    caller,
    findingId,
    status,
    reason,
    expiresAt,
  }: TriageFindingCommand): Promise<ListedFinding> {
    const finding = await this.uow.transaction(caller.scope, async ({ findingTriage, audit }) => {
      const finding = await findingTriage.get(findingId);
      if (!finding) throw new NotFoundError('FINDING_NOT_FOUND', `No finding with id ${findingId}`);
      if (finding.status === 'fixed') {
        throw new ConflictError('FINDING_FIXED', 'This finding is fixed: there is nothing to triage', [
          { field: 'status', problem: 'the finding is fixed' },
        ]);
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
      return finding;
    });
    return this.uow.read(caller.scope, async ({ findingQueries }) => {
      const { items } = await findingQueries.page(
        { repoId: finding.repoId, findingId: finding.id },
        { limit: 1, offset: 0 },
      );
      return items[0]!;
    });
  }
}
