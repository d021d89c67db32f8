import type { MembershipRecord, Role, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { changeMembership } from './change-membership';

export interface ChangeMemberRoleCommand {
  readonly caller: OrgCaller;
  readonly userId: string;
  readonly role: Role;
}

/** Only an owner manages owners; the last owner stays one (LAST_OWNER). Audited. */
export class ChangeMemberRole {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, userId, role }: ChangeMemberRoleCommand): Promise<MembershipRecord> {
    return changeMembership(this.uow, caller, userId, role);
  }
}
