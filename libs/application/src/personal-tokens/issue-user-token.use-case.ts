import {
  NotFoundError,
  parseEmail,
  SYSTEM_SCOPE,
  type AuditContext,
  type PersonalTokenRecord,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';

export interface IssueUserTokenCommand {
  /** The operator (the CLI): nothing over HTTP reaches this, since no tenant may mint a user's token. */
  readonly actor: AuditContext;
  readonly email: string;
  readonly name: string;
  readonly expiresAt: Date | null;
}

export interface IssuedUserToken {
  readonly userId: string;
  readonly token: PersonalTokenRecord;
  /** Shown this once; only its hash is stored. */
  readonly secret: string;
}

/**
 * The operator's way back in for a user who lost every token: invitations and POST /orgs never hand
 * out an existing user's token (that was a takeover), so recovery is the operator's act, audited in
 * every org the token reaches.
 */
export class IssueUserToken {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute({ actor, email, name, expiresAt }: IssueUserTokenCommand): Promise<IssuedUserToken> {
    const address = parseEmail(email, 'email');
    const issued = this.tokens.issue('personal');
    return this.uow.transaction(SYSTEM_SCOPE, async ({ users, memberships, personalTokens, audit }) => {
      const user = await users.findByEmail(address);
      if (!user) throw new NotFoundError('USER_NOT_FOUND', `No user has the email ${email}`);
      const token = personalTokens.add({
        userId: user.id,
        name,
        tokenHash: issued.hash,
        prefix: issued.prefix,
        expiresAt,
      });
      for (const orgId of await memberships.orgIdsOfUser(user.id)) {
        audit.record(actor, {
          orgId,
          action: 'personal_token.created',
          targetType: 'personal_token',
          targetId: token.id,
          metadata: {
            name,
            prefix: token.prefix,
            expires_at: expiresAt?.toISOString() ?? null,
            user_id: user.id,
            issued_by_operator: true,
          },
        });
      }
      return { userId: user.id, token, secret: issued.token };
    });
  }
}
