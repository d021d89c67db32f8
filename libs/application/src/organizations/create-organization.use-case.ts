import {
  ConflictError,
  parseEmail,
  parseOrgName,
  parseSlug,
  SYSTEM_SCOPE,
  UniqueViolationError,
  type AuditContext,
  type OrganizationRecord,
  type TokenIssuer,
  type UnitOfWork,
  type UserRecord,
} from '@repoguard/domain';

export interface CreateOrganizationCommand {
  readonly actor: AuditContext;
  readonly name: string;
  readonly slug: string;
  readonly ownerEmail: string;
}

export interface CreatedOrganization {
  readonly org: OrganizationRecord;
  readonly owner: UserRecord;
  /**
   * A new owner's first personal token: this is the only time it is shown. null when the email
   * already had a user: they use their own tokens, which now reach this org too.
   */
  readonly token: string | null;
  readonly tokenPrefix: string | null;
}

/**
 * An org with its first owner, in one transaction with its audit row. A new email gets a user and
 * a first personal token; an existing user is made owner but no token of theirs is issued to the
 * caller (whoever bootstraps an org must not obtain a credential reaching that user's other orgs).
 * The API's bootstrap route and the operators' CLI both ask.
 */
export class CreateOrganization {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute({ actor, ...input }: CreateOrganizationCommand): Promise<CreatedOrganization> {
    // Checked here, not only by the API's DTO: the CLI comes here too.
    const name = parseOrgName(input.name);
    const slug = parseSlug(input.slug);
    const email = parseEmail(input.ownerEmail, 'owner_email');
    try {
      return await this.uow.transaction(SYSTEM_SCOPE, async (stores) => {
        const { organizations, users, memberships, personalTokens, audit } = stores;
        const org = organizations.add({ name, slug });
        const existing = await users.findByEmail(email);
        const owner = existing ?? users.add(email);
        memberships.add({ orgId: org.id, userId: owner.id, role: 'owner' });
        const issued = existing ? null : this.tokens.issue('personal');
        if (issued) {
          personalTokens.add({
            userId: owner.id,
            name: `owner of ${slug}`,
            tokenHash: issued.hash,
            prefix: issued.prefix,
          });
        }
        audit.record(actor, {
          orgId: org.id,
          action: 'org.created',
          targetType: 'organization',
          targetId: org.id,
          metadata: { name: org.name, slug, owner_id: owner.id, owner_email: email, new_owner: !existing },
        });
        return { org, owner, token: issued?.token ?? null, tokenPrefix: issued?.prefix ?? null };
      });
    } catch (error) {
      if (error instanceof UniqueViolationError && /slug/.test(error.message)) {
        throw new ConflictError('ORG_SLUG_TAKEN', `An organization with slug "${slug}" already exists`, [
          { field: 'slug', problem: 'is already taken' },
        ]);
      }
      if (error instanceof UniqueViolationError && /users/.test(error.message)) {
        // Another request created this owner's user meanwhile; a retry finds it.
        throw new ConflictError(
          'OWNER_CREATED_CONCURRENTLY',
          'The owner was created by another request: retry',
          [{ field: 'owner_email', problem: 'was being created by another request' }],
        );
      }
      throw error;
    }
  }
}
