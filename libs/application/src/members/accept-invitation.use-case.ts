import {
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  SYSTEM_SCOPE,
  tokenKindOf,
  UnauthenticatedError,
  UniqueViolationError,
  type Clock,
  type Role,
  type Stores,
  type TokenIssuer,
  type UnitOfWork,
  type UserRecord,
} from '@repoguard/domain';
import { userIdOf, type Caller } from '../shared/caller';

export interface AcceptInvitationCommand {
  /** The invitation token: it says which org and role, never who the accepting user is. */
  readonly token: string;
  /** The user accepting for themselves with their own bearer token; null when none was sent. */
  readonly caller: Caller | null;
  readonly correlationId: string | null;
  readonly ip: string | null;
}

export interface AcceptedInvitation {
  readonly org: { readonly id: string; readonly name: string; readonly slug: string };
  readonly user: { readonly id: string; readonly email: string };
  readonly role: Role;
  /** A first personal token, only for a user created by this accept (returned this once); else null. */
  readonly token: string | null;
  readonly tokenPrefix: string | null;
}

const signInRequired = () =>
  new UnauthenticatedError(
    'INVITATION_SIGN_IN_REQUIRED',
    'The invited email already has an account: accept again sending that user\'s own personal token ("Authorization: Bearer rg_pat_…")',
  );

/**
 * Joins the invited email to the org with the invited role, once (the invitation is locked while
 * it is used). Holding an invitation proves nothing about who one is, so it never hands out an
 * existing user's identity: an existing user accepts signed in as themselves and keeps their own
 * tokens; only an email without a user gets a new user and its first token. A refused accept
 * leaves the invitation unused.
 */
export class AcceptInvitation {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
  ) {}

  async execute({ token, caller, correlationId, ip }: AcceptInvitationCommand): Promise<AcceptedInvitation> {
    const missing = () => new NotFoundError('INVITATION_NOT_FOUND', 'No such invitation');
    if (tokenKindOf(token) !== 'invitation') throw missing();
    const callerId = caller ? userIdOf(caller, 'INVITATION_NEEDS_USER') : null;
    try {
      // The invitation's org is not in the caller's scope yet: the token, not a tenant scope, says where to go.
      return await this.uow.transaction(SYSTEM_SCOPE, async (stores) => {
        const { invitations, organizations, memberships, audit } = stores;
        const invitation = await invitations.lockByTokenHash(this.tokens.hash(token));
        if (!invitation) throw missing();
        if (invitation.acceptedAt) {
          throw new GoneError('INVITATION_USED', 'This invitation has already been accepted');
        }
        if (invitation.revokedAt) {
          throw new GoneError('INVITATION_REVOKED', 'This invitation was revoked: ask for a new one');
        }
        const now = this.clock.now();
        if (invitation.expiresAt.getTime() <= now.getTime()) {
          throw new GoneError('INVITATION_EXPIRED', 'This invitation has expired: ask for a new one');
        }
        const org = await organizations.get(invitation.orgId);
        if (!org || org.deletedAt) {
          throw new GoneError('INVITATION_EXPIRED', 'The organization of this invitation was deleted');
        }
        const { user, created } = await this.accepter(stores, invitation.email, callerId);
        if (await memberships.get(org.id, user.id)) {
          throw new ConflictError('ALREADY_MEMBER', `${invitation.email} is already a member of ${org.slug}`);
        }
        memberships.add({ orgId: org.id, userId: user.id, role: invitation.role });
        await invitations.markAccepted(invitation.id, now);
        const issued = created ? this.tokens.issue('personal') : null;
        if (issued) {
          stores.personalTokens.add({
            userId: user.id,
            name: `member of ${org.slug}`,
            tokenHash: issued.hash,
            prefix: issued.prefix,
          });
        }
        audit.record(
          { actorType: 'user', actorId: user.id, correlationId, ip },
          {
            orgId: org.id,
            action: 'member.joined',
            targetType: 'user',
            targetId: user.id,
            metadata: {
              email: user.email,
              role: invitation.role,
              invitation_id: invitation.id,
              new_user: created,
            },
          },
        );
        return {
          org: { id: org.id, name: org.name, slug: org.slug },
          user: { id: user.id, email: user.email },
          role: invitation.role,
          token: issued?.token ?? null,
          tokenPrefix: issued?.prefix ?? null,
        };
      });
    } catch (error) {
      // Two accepts raced: the other one created this email's user, or joined this user to the org.
      if (error instanceof UniqueViolationError) {
        if (/users/.test(error.message)) throw signInRequired();
        if (/memberships/.test(error.message)) {
          throw new ConflictError(
            'ALREADY_MEMBER',
            'The invited user is already a member of this organization',
          );
        }
      }
      throw error;
    }
  }

  /** Who joins: the signed-in caller if the invitation is theirs, or a new user for a new email. */
  private async accepter(
    { users }: Stores,
    email: string,
    callerId: string | null,
  ): Promise<{ user: UserRecord; created: boolean }> {
    if (callerId === null) {
      if (await users.findByEmail(email)) throw signInRequired();
      return { user: users.add(email), created: true };
    }
    const user = await users.get(callerId);
    if (!user || user.email !== email) {
      throw new ForbiddenError(
        'INVITATION_EMAIL_MISMATCH',
        "This invitation is for another email address than the signed-in user's",
      );
    }
    return { user, created: false };
  }
}
