import {
  ConflictError,
  parsePolicy,
  UniqueViolationError,
  type PolicyVersion,
  type UnitOfWork,
} from '@repoguard/domain';
import { callerName, type OrgCaller } from '../shared/caller';

export interface UpdatePolicyCommand {
  readonly caller: OrgCaller;
  /** As given: every invalid rule is named in POLICY_INVALID. */
  readonly rules: unknown;
}

/** Saves the org's policy as its next version; audited. */
export class UpdatePolicy {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, rules: input }: UpdatePolicyCommand): Promise<PolicyVersion> {
    const rules = parsePolicy(input, 'rules');
    const { orgId } = caller;
    try {
      return await this.uow.transaction(caller.scope, async ({ policies, audit }) => {
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
