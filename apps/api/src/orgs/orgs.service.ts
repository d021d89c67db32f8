import { Inject, Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  assertMayChangeMember,
  assertMayGrant,
  assertOwnerRemains,
  ConflictError,
  GoneError,
  NotFoundError,
  tokenKindOf,
  type Role,
} from '@repoguard/domain';
import {
  ApiKeyEntity,
  createOrganizationWithOwner,
  hashToken,
  InvitationEntity,
  issueToken,
  MembershipEntity,
  normalizeEmail,
  OrganizationEntity,
  PersonalTokenEntity,
  recordAudit,
  UserEntity,
  type AuditContext,
} from '@repoguard/infrastructure';
import type { RequestAccess } from '../common/api-request';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import type { CreateOrgBody, InviteBody, UpdateOrgBody } from './org.dto';

const orgView = (org: OrganizationEntity) => ({
  id: org.id,
  name: org.name,
  slug: org.slug,
  rate_limit_per_minute: org.rateLimitPerMinute,
  created_at: org.createdAt.toISOString(),
});

@Injectable()
export class OrgsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async create(body: CreateOrgBody, audit: AuditContext) {
    const created = await createOrganizationWithOwner(
      this.em,
      { name: body.name, slug: body.slug, ownerEmail: body.owner_email },
      audit,
    );
    return {
      org: orgView(created.org),
      owner: { id: created.owner.id, email: created.owner.email, role: 'owner' as const },
      token: created.token,
      token_prefix: created.tokenPrefix,
    };
  }

  async mine(access: RequestAccess) {
    const orgs = await access.em.find(OrganizationEntity, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return { items: orgs.map((org) => ({ ...orgView(org), role: access.principal.roles.get(org.id)! })) };
  }

  async update(access: RequestAccess, body: UpdateOrgBody) {
    const org = await access.em.findOneOrFail(OrganizationEntity, { id: access.orgId! });
    const changes: Record<string, unknown> = {};
    if (body.name !== undefined) org.name = changes['name'] = body.name.trim();
    if (body.rate_limit_per_minute !== undefined) {
      org.rateLimitPerMinute = body.rate_limit_per_minute;
      changes['rate_limit_per_minute'] = body.rate_limit_per_minute;
    }
    recordAudit(access.em, access.audit, {
      orgId: org.id,
      action: 'org.updated',
      targetType: 'organization',
      targetId: org.id,
      metadata: changes,
    });
    await access.em.flush();
    return orgView(org);
  }

  /**
   * Deleting an org ends all access to it at once (memberships, keys, pending invitations) and
   * keeps its rows: the audit log, which nothing may delete, still has to make sense.
   */
  async delete(access: RequestAccess): Promise<void> {
    const orgId = access.orgId!;
    await access.em.transactional(async (tx) => {
      const org = await tx.findOneOrFail(OrganizationEntity, { id: orgId });
      const now = new Date();
      org.deletedAt = now;
      const members = await tx.nativeDelete(MembershipEntity, { orgId });
      await tx.nativeUpdate(ApiKeyEntity, { orgId, revokedAt: null }, { revokedAt: now });
      await tx.nativeUpdate(InvitationEntity, { orgId, acceptedAt: null }, { expiresAt: now });
      recordAudit(tx, access.audit, {
        orgId,
        action: 'org.deleted',
        targetType: 'organization',
        targetId: orgId,
        metadata: { slug: org.slug, memberships_removed: members },
      });
      await tx.flush();
    });
  }

  async members(access: RequestAccess) {
    const memberships = await access.em.find(
      MembershipEntity,
      { orgId: access.orgId! },
      { orderBy: { createdAt: 'asc' } },
    );
    const users = await access.em.find(UserEntity, { id: { $in: memberships.map((m) => m.userId) } });
    const email = new Map(users.map((u) => [u.id, u.email]));
    return {
      items: memberships.map((m) => ({
        user_id: m.userId,
        email: email.get(m.userId) ?? null,
        role: m.role,
        joined_at: m.createdAt.toISOString(),
      })),
    };
  }

  async invite(access: RequestAccess, body: InviteBody) {
    assertMayGrant(access.role!, body.role);
    const issued = issueToken('invitation');
    const expiresAt = new Date(Date.now() + this.config.INVITATION_TTL_HOURS * 3_600_000);
    const invitation = access.em.create(InvitationEntity, {
      orgId: access.orgId!,
      email: normalizeEmail(body.email),
      role: body.role,
      tokenHash: issued.hash,
      invitedBy: access.audit.actorId,
      expiresAt,
    });
    recordAudit(access.em, access.audit, {
      orgId: access.orgId!,
      action: 'member.invited',
      targetType: 'invitation',
      targetId: invitation.id,
      metadata: { email: invitation.email, role: body.role },
    });
    await access.em.flush();
    return {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      token: issued.token,
      accept_path: `/api/v1/invites/${issued.token}/accept`,
      expires_at: expiresAt.toISOString(),
    };
  }

  /** The invitation token is the credential: whoever holds it joins as the invited email. */
  async accept(token: string, audit: Omit<AuditContext, 'actorType' | 'actorId'>) {
    const missing = () => new NotFoundError('INVITATION_NOT_FOUND', 'No such invitation');
    if (tokenKindOf(token) !== 'invitation') throw missing();
    return this.em.fork().transactional(async (tx) => {
      const invitation = await tx.findOne(
        InvitationEntity,
        { tokenHash: hashToken(token) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!invitation) throw missing();
      if (invitation.acceptedAt)
        throw new GoneError('INVITATION_USED', 'This invitation has already been accepted');
      if (invitation.expiresAt.getTime() <= Date.now()) {
        throw new GoneError('INVITATION_EXPIRED', 'This invitation has expired: ask for a new one');
      }
      const org = await tx.findOneOrFail(OrganizationEntity, { id: invitation.orgId });
      if (org.deletedAt)
        throw new GoneError('INVITATION_EXPIRED', 'The organization of this invitation was deleted');
      const user =
        (await tx.findOne(UserEntity, { email: invitation.email })) ??
        tx.create(UserEntity, { email: invitation.email });
      if (await tx.findOne(MembershipEntity, { orgId: org.id, userId: user.id })) {
        throw new ConflictError('ALREADY_MEMBER', `${invitation.email} is already a member of ${org.slug}`);
      }
      tx.create(MembershipEntity, { orgId: org.id, userId: user.id, role: invitation.role });
      invitation.acceptedAt = new Date();
      const issued = issueToken('personal');
      tx.create(PersonalTokenEntity, {
        userId: user.id,
        name: `member of ${org.slug}`,
        tokenHash: issued.hash,
        prefix: issued.prefix,
      });
      recordAudit(
        tx,
        { ...audit, actorType: 'user', actorId: user.id },
        {
          orgId: org.id,
          action: 'member.joined',
          targetType: 'user',
          targetId: user.id,
          metadata: { email: user.email, role: invitation.role, invitation_id: invitation.id },
        },
      );
      await tx.flush();
      return {
        org: { id: org.id, name: org.name, slug: org.slug },
        user: { id: user.id, email: user.email },
        role: invitation.role,
        token: issued.token,
        token_prefix: issued.prefix,
      };
    });
  }

  async changeRole(access: RequestAccess, userId: string, role: Role) {
    return this.changeMember(access, userId, role);
  }

  async remove(access: RequestAccess, userId: string): Promise<void> {
    await this.changeMember(access, userId, null);
  }

  /** Role changes and removals lock the org's owners, so two owners cannot demote each other at once. */
  private async changeMember(access: RequestAccess, userId: string, nextRole: Role | null) {
    const orgId = access.orgId!;
    return access.em.transactional(async (tx) => {
      const owners = await tx.find(
        MembershipEntity,
        { orgId, role: 'owner' },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const membership = await tx.findOne(MembershipEntity, { orgId, userId });
      if (!membership) throw new NotFoundError('MEMBER_NOT_FOUND', `No member with user id ${userId}`);
      const currentRole = membership.role as Role;
      assertMayChangeMember(access.role!, currentRole, nextRole);
      assertOwnerRemains(owners.length, currentRole, nextRole);
      if (nextRole === null) {
        tx.remove(membership);
      } else {
        membership.role = nextRole;
      }
      recordAudit(tx, access.audit, {
        orgId,
        action: nextRole === null ? 'member.removed' : 'member.role_changed',
        targetType: 'user',
        targetId: userId,
        metadata: nextRole === null ? { role: currentRole } : { from: currentRole, to: nextRole },
      });
      await tx.flush();
      return {
        user_id: userId,
        role: nextRole ?? currentRole,
        joined_at: membership.createdAt.toISOString(),
      };
    });
  }
}
