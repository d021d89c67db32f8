import {
  assertMayGrant,
  ConflictError,
  type Clock,
  type InvitationRecord,
  type Role,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface InviteMemberCommand {
  readonly caller: OrgCaller;
  readonly email: string;
  readonly role: Role;
}

export interface IssuedInvitation {
  readonly invitation: InvitationRecord;
  /** The secret to accept it with: returned this once, only its hash is stored. */
  readonly token: string;
}

export interface InvitationSettings {
  readonly ttlHours: number;
}

/**
 * Invites someone by email with a role no higher than the inviter may grant; audited. An email
 * that is already a member is refused at once (409 ALREADY_MEMBER), not when the invitation is
 * accepted days later.
 */
export class InviteMember {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
    private readonly settings: InvitationSettings,
  ) {}

  async execute({ caller, email, role }: InviteMemberCommand): Promise<IssuedInvitation> {
    assertMayGrant(caller.role, role);
    const issued = this.tokens.issue('invitation');
    const expiresAt = new Date(this.clock.now().getTime() + this.settings.ttlHours * 3_600_000);
    const invited = email.trim().toLowerCase();
    return this.uow.transaction(caller.scope, async ({ invitations, users, memberships, audit }) => {
      const user = await users.findByEmail(invited);
      if (user && (await memberships.get(caller.orgId, user.id))) {
        throw new ConflictError('ALREADY_MEMBER', `${invited} is already a member of this organization`, [
          { field: 'email', problem: 'is already a member' },
        ]);
      }
      const invitation = invitations.add({
        orgId: caller.orgId,
        email: invited,
        role,
        tokenHash: issued.hash,
        invitedBy: caller.actor.actorId,
        expiresAt,
      });
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'member.invited',
        targetType: 'invitation',
        targetId: invitation.id,
        metadata: { email: invitation.email, role },
      });
      return { invitation, token: issued.token };
    });
  }
}
