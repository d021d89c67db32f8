import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, parseEmail, parseOrgName, parseSlug } from '@repoguard/domain';
import { issueToken } from '../crypto/opaque-token';
import { recordAudit, type AuditContext } from '../persistence/audit-trail';
import {
  MembershipEntity,
  OrganizationEntity,
  PersonalTokenEntity,
  UserEntity,
} from '../persistence/entities';

export interface NewOrganization {
  readonly name: string;
  readonly slug: string;
  readonly ownerEmail: string;
}

export interface CreatedOrganization {
  readonly org: OrganizationEntity;
  readonly owner: UserEntity;
  /** The owner's personal token: this is the only time it is shown. */
  readonly token: string;
  readonly tokenPrefix: string;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/**
 * Creates an org with its first owner (an existing user, or a new one) and a personal token for
 * them, in one transaction with its audit row. The API's bootstrap route and the operators' CLI
 * both come here.
 */
export async function createOrganizationWithOwner(
  em: EntityManager,
  input: NewOrganization,
  audit: AuditContext,
): Promise<CreatedOrganization> {
  // Checked here, not only by the API's DTO: the operators' CLI comes through this function too.
  const name = parseOrgName(input.name);
  const slug = parseSlug(input.slug);
  const email = parseEmail(input.ownerEmail, 'owner_email');
  try {
    return await em.fork().transactional(async (tx) => {
      const org = tx.create(OrganizationEntity, { name, slug });
      const owner = (await tx.findOne(UserEntity, { email })) ?? tx.create(UserEntity, { email });
      tx.create(MembershipEntity, { orgId: org.id, userId: owner.id, role: 'owner' });
      const issued = issueToken('personal');
      tx.create(PersonalTokenEntity, {
        userId: owner.id,
        name: `owner of ${slug}`,
        tokenHash: issued.hash,
        prefix: issued.prefix,
      });
      recordAudit(tx, audit, {
        orgId: org.id,
        action: 'org.created',
        targetType: 'organization',
        targetId: org.id,
        metadata: { name: org.name, slug, owner_id: owner.id, owner_email: email },
      });
      await tx.flush();
      return { org, owner, token: issued.token, tokenPrefix: issued.prefix };
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && /slug/.test(error.message)) {
      throw new ConflictError('ORG_SLUG_TAKEN', `An organization with slug "${slug}" already exists`, [
        { field: 'slug', problem: 'is already taken' },
      ]);
    }
    throw error;
  }
}
