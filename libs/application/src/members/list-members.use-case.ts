import type { MemberRecord, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListMembersCommand {
  readonly caller: OrgCaller;
}

/** The org's members with their emails, in the order they joined. */
export class ListMembers {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller }: ListMembersCommand): Promise<MemberRecord[]> {
    return this.uow.read(caller.scope, ({ memberships }) => memberships.list(caller.orgId));
  }
}
