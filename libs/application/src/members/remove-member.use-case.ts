import type { UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { changeMembership } from './change-membership';

export interface RemoveMemberCommand {
  readonly caller: OrgCaller;
  readonly userId: string;
}

/** Only an owner removes an owner; the last owner cannot be removed (LAST_OWNER). Audited. */
export class RemoveMember {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, userId }: RemoveMemberCommand): Promise<void> {
    await changeMembership(this.uow, caller, userId, null);
  }
}
