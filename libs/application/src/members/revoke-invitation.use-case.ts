import { assertMayGrant, ConflictError, NotFoundError, type Clock, type UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface RevokeInvitationCommand {
  readonly caller: OrgCaller;
  readonly invitationId: string;
}

/**
 * Withdraws an invitation nobody accepted yet, so its token answers 410 from now on; audited.
 * Revoking takes a role that may grant the invited role, as inviting does. Revoking it again
 * changes nothing (DELETE is idempotent).
 */
export class RevokeInvitation {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, invitationId }: RevokeInvitationCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ invitations, audit }) => {
      // Locked: an accept holding the same row finishes first, and then this sees it accepted.
      const invitation = await invitations.lockInOrg(caller.orgId, invitationId);
      if (!invitation) {
        throw new NotFoundError('INVITATION_NOT_FOUND', `No invitation with id ${invitationId}`);
      }
      assertMayGrant(caller.role, invitation.role);
      if (invitation.acceptedAt) {
        throw new ConflictError(
          'INVITATION_USED',
          'This invitation was already accepted: remove the member instead',
        );
      }
      if (invitation.revokedAt) return;
      await invitations.markRevoked(invitation.id, this.clock.now());
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'member.invitation_revoked',
        targetType: 'invitation',
        targetId: invitation.id,
        metadata: { email: invitation.email, role: invitation.role },
      });
    });
  }
}
