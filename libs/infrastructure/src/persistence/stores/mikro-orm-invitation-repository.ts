import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { InvitationRecord, InvitationRepository, NewInvitation } from '@repoguard/domain';
import { InvitationEntity } from '../entities';

const recordOf = (invitation: InvitationEntity): InvitationRecord => ({
  id: invitation.id,
  orgId: invitation.orgId,
  email: invitation.email,
  role: invitation.role,
  expiresAt: invitation.expiresAt,
  acceptedAt: invitation.acceptedAt,
  revokedAt: invitation.revokedAt,
  invitedBy: invitation.invitedBy,
  createdAt: invitation.createdAt,
});

export class MikroOrmInvitationRepository implements InvitationRepository {
  constructor(private readonly em: EntityManager) {}

  add(invitation: NewInvitation): InvitationRecord {
    return recordOf(this.em.create(InvitationEntity, { ...invitation }));
  }

  async lockByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    const invitation = await this.em.findOne(
      InvitationEntity,
      { tokenHash },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    return invitation ? recordOf(invitation) : null;
  }

  async markAccepted(id: string, at: Date): Promise<void> {
    const invitation = await this.em.findOneOrFail(InvitationEntity, { id });
    invitation.acceptedAt = at;
  }

  async listPending(orgId: string, now: Date): Promise<InvitationRecord[]> {
    const pending = await this.em.find(
      InvitationEntity,
      { orgId, acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return pending.map(recordOf);
  }

  async lockInOrg(orgId: string, id: string): Promise<InvitationRecord | null> {
    const invitation = await this.em.findOne(
      InvitationEntity,
      { id, orgId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    return invitation ? recordOf(invitation) : null;
  }

  async markRevoked(id: string, at: Date): Promise<void> {
    const invitation = await this.em.findOneOrFail(InvitationEntity, { id });
    invitation.revokedAt = at;
  }

  async expirePending(orgId: string, at: Date): Promise<void> {
    await this.em.nativeUpdate(InvitationEntity, { orgId, acceptedAt: null }, { expiresAt: at });
  }
}
