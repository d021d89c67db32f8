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
  /** The owner's personal token: this is the only time it is shown. */
  readonly token: string;
  readonly tokenPrefix: string;
}

/**
 * An org with its first owner (an existing user, or a new one) and a personal token for them, in
 * one transaction with its audit row. The API's bootstrap route and the operators' CLI both ask.
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
        const owner = (await users.findByEmail(email)) ?? users.add(email);
        memberships.add({ orgId: org.id, userId: owner.id, role: 'owner' });
        const issued = this.tokens.issue('personal');
        personalTokens.add({
          userId: owner.id,
          name: `owner of ${slug}`,
          tokenHash: issued.hash,
          prefix: issued.prefix,
        });
        audit.record(actor, {
          orgId: org.id,
          action: 'org.created',
          targetType: 'organization',
          targetId: org.id,
          metadata: { name: org.name, slug, owner_id: owner.id, owner_email: email },
        });
        return { org, owner, token: issued.token, tokenPrefix: issued.prefix };
      });
    } catch (error) {
      if (error instanceof UniqueViolationError && /slug/.test(error.message)) {
        throw new ConflictError('ORG_SLUG_TAKEN', `An organization with slug "${slug}" already exists`, [
          { field: 'slug', problem: 'is already taken' },
        ]);
      }
      throw error;
    }
  }
}
