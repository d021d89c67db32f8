import type { PolicyVersion, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListPoliciesCommand {
  readonly caller: OrgCaller;
}

/** Every saved version of the org's policy, newest (the current one) first. */
export class ListPolicies {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller }: ListPoliciesCommand): Promise<PolicyVersion[]> {
    return this.uow.read(caller.scope, ({ policies }) => policies.history(caller.orgId));
  }
}
