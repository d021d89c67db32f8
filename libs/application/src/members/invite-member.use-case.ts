import {
  assertMayGrant,
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

/** Invites someone by email with a role no higher than the inviter may grant; audited. */
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
    return this.uow.transaction(caller.scope, async ({ invitations, audit }) => {
      const invitation = invitations.add({
        orgId: caller.orgId,
        email: email.trim().toLowerCase(),
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
