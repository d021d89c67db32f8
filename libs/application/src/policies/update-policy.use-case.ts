import {
  ConflictError,
  parsePolicy,
  UniqueViolationError,
  type Clock,
  type PolicyRules,
  type PolicyVersion,
  type UnitOfWork,
} from '@repoguard/domain';
import { callerName, type OrgCaller } from '../shared/caller';
import type { ReevaluateRepositoryStatus } from '../repositories/reevaluate-repository-status.use-case';

// Repositories read per round while judging the org's repositories again.
const PAGE = 100;

export interface UpdatePolicyCommand {
  readonly caller: OrgCaller;
  /** As given: every invalid rule is named in POLICY_INVALID. */
  readonly rules: unknown;
}

/**
 * Saves the org's policy as its next version; audited. Every repository of the org is then judged
 * again under it before the answer: marked due in the policy's own transaction, so one this
 * process does not get to (it stops, it fails) is judged by the sweep.
 */
export class UpdatePolicy {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reevaluate: ReevaluateRepositoryStatus,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, rules: input }: UpdatePolicyCommand): Promise<PolicyVersion> {
    const rules = parsePolicy(input, 'rules');
    const saved = await this.save(caller, rules);
    const judged = new Set<string>();
    for (;;) {
      const due = await this.uow.read(caller.scope, ({ repositories }) =>
        repositories.dueForReevaluation(this.clock.now(), PAGE, caller.orgId),
      );
      const next = due.filter((repo) => !judged.has(repo.id));
      if (next.length === 0) break;
      for (const repo of next) {
        judged.add(repo.id);
        try {
          await this.reevaluate.execute({
            scope: caller.scope,
            actor: caller.actor,
            repoId: repo.id,
            cause: 'policy.updated',
            onlyIfDue: true,
          });
        } catch {
          // The policy is saved and the repository stays due, postponed so that the next page holds
          // the others: the sweep judges it shortly (and logs why it cannot).
          await this.reevaluate.postponeAfterFailure(caller.scope, repo.id).catch(() => null);
        }
      }
    }
    return saved;
  }

  private async save(caller: OrgCaller, rules: PolicyRules): Promise<PolicyVersion> {
    const { orgId } = caller;
    try {
      return await this.uow.transaction(caller.scope, async ({ policies, repositories, audit }) => {
        const latest = await policies.latest(orgId);
        const policy = policies.add({
          orgId,
          version: (latest?.version ?? 0) + 1,
          rules,
          createdBy: callerName(caller),
        });
        audit.record(caller.actor, {
          orgId,
          action: 'policy.updated',
          targetType: 'policy',
          targetId: String(policy.version),
          metadata: { version: policy.version, previous_version: latest?.version ?? null, rules },
        });
        await repositories.markStatusDue(orgId, this.clock.now());
        return policy;
      });
    } catch (error) {
      // Two saves raced for the same version number: the loser must look at the winner first.
      if (error instanceof UniqueViolationError) {
        throw new ConflictError(
          'POLICY_CHANGED_CONCURRENTLY',
          'The policy changed meanwhile: read it and retry',
        );
      }
      throw error;
    }
  }
}
