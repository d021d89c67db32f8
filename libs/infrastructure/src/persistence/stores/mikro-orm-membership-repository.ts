import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MemberRecord, MembershipRecord, MembershipRepository, Role } from '@repoguard/domain';
import { MembershipEntity, UserEntity } from '../entities';

const recordOf = (membership: MembershipEntity): MembershipRecord => ({
  orgId: membership.orgId,
  userId: membership.userId,
  role: membership.role,
  createdAt: membership.createdAt,
});

export class MikroOrmMembershipRepository implements MembershipRepository {
  constructor(private readonly em: EntityManager) {}

  async lockOwners(orgId: string): Promise<MembershipRecord[]> {
    const owners = await this.em.find(
      MembershipEntity,
      { orgId, role: 'owner' },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    return owners.map(recordOf);
  }

  async get(orgId: string, userId: string): Promise<MembershipRecord | null> {
    const membership = await this.em.findOne(MembershipEntity, { orgId, userId });
    return membership ? recordOf(membership) : null;
  }

  async list(orgId: string): Promise<MemberRecord[]> {
    const memberships = await this.em.find(MembershipEntity, { orgId }, { orderBy: { createdAt: 'asc' } });
    const users = await this.em.find(UserEntity, { id: { $in: memberships.map((m) => m.userId) } });
    const email = new Map(users.map((u) => [u.id, u.email]));
    return memberships.map((m) => ({ ...recordOf(m), email: email.get(m.userId) ?? null }));
  }

  add(membership: Pick<MembershipRecord, 'orgId' | 'userId' | 'role'>): MembershipRecord {
    return recordOf(this.em.create(MembershipEntity, { ...membership }));
  }

  async setRole(orgId: string, userId: string, role: Role): Promise<void> {
    const membership = await this.em.findOneOrFail(MembershipEntity, { orgId, userId });
    membership.role = role;
  }

  async remove(orgId: string, userId: string): Promise<void> {
    this.em.remove(await this.em.findOneOrFail(MembershipEntity, { orgId, userId }));
  }

  async orgIdsOfUser(userId: string): Promise<string[]> {
    const memberships = await this.em.find(MembershipEntity, { userId }, { fields: ['orgId'] });
    return memberships.map((m) => m.orgId);
  }

  removeAll(orgId: string): Promise<number> {
    return this.em.nativeDelete(MembershipEntity, { orgId });
  }
}
