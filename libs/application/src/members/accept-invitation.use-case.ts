import {
  ConflictError,
  GoneError,
  NotFoundError,
  SYSTEM_SCOPE,
  tokenKindOf,
  type Clock,
  type Role,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';

export interface AcceptInvitationCommand {
  /** The invitation token is the credential: whoever holds it joins as the invited email. */
  readonly token: string;
  readonly correlationId: string | null;
  readonly ip: string | null;
}

export interface AcceptedInvitation {
  readonly org: { readonly id: string; readonly name: string; readonly slug: string };
  readonly user: { readonly id: string; readonly email: string };
  readonly role: Role;
  /** A personal token for the (new or existing) user: returned this once. */
  readonly token: string;
  readonly tokenPrefix: string;
}

/**
 * Joins the invited email (a new user or an existing one) to the org with the invited role, once:
 * the invitation is locked while it is used, so two accepts of one token cannot both succeed.
 */
export class AcceptInvitation {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
  ) {}

  async execute({ token, correlationId, ip }: AcceptInvitationCommand): Promise<AcceptedInvitation> {
    const missing = () => new NotFoundError('INVITATION_NOT_FOUND', 'No such invitation');
    if (tokenKindOf(token) !== 'invitation') throw missing();
    // The caller is not a member of anything yet: the token, not a tenant scope, says where to go.
    return this.uow.transaction(SYSTEM_SCOPE, async (stores) => {
      const { invitations, organizations, users, memberships, personalTokens, audit } = stores;
      const invitation = await invitations.lockByTokenHash(this.tokens.hash(token));
      if (!invitation) throw missing();
      if (invitation.acceptedAt) {
        throw new GoneError('INVITATION_USED', 'This invitation has already been accepted');
      }
      const now = this.clock.now();
      if (invitation.expiresAt.getTime() <= now.getTime()) {
        throw new GoneError('INVITATION_EXPIRED', 'This invitation has expired: ask for a new one');
      }
      const org = await organizations.get(invitation.orgId);
      if (!org || org.deletedAt) {
        throw new GoneError('INVITATION_EXPIRED', 'The organization of this invitation was deleted');
      }
      const user = (await users.findByEmail(invitation.email)) ?? users.add(invitation.email);
      if (await memberships.get(org.id, user.id)) {
        throw new ConflictError('ALREADY_MEMBER', `${invitation.email} is already a member of ${org.slug}`);
      }
      memberships.add({ orgId: org.id, userId: user.id, role: invitation.role });
      await invitations.markAccepted(invitation.id, now);
      const issued = this.tokens.issue('personal');
      personalTokens.add({
        userId: user.id,
        name: `member of ${org.slug}`,
        tokenHash: issued.hash,
        prefix: issued.prefix,
      });
      audit.record(
        { actorType: 'user', actorId: user.id, correlationId, ip },
        {
          orgId: org.id,
          action: 'member.joined',
          targetType: 'user',
          targetId: user.id,
          metadata: { email: user.email, role: invitation.role, invitation_id: invitation.id },
        },
      );
      return {
        org: { id: org.id, name: org.name, slug: org.slug },
        user: { id: user.id, email: user.email },
        role: invitation.role,
        token: issued.token,
        tokenPrefix: issued.prefix,
      };
    });
  }
}
