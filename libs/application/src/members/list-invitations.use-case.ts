import type { Clock, InvitationRecord, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListInvitationsCommand {
  readonly caller: OrgCaller;
}

/** The org's invitations that can still be accepted, oldest first (never their tokens). */
export class ListInvitations {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  execute({ caller }: ListInvitationsCommand): Promise<InvitationRecord[]> {
    return this.uow.read(caller.scope, ({ invitations }) =>
      invitations.listPending(caller.orgId, this.clock.now()),
    );
  }
}
