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

  async expirePending(orgId: string, at: Date): Promise<void> {
    await this.em.nativeUpdate(InvitationEntity, { orgId, acceptedAt: null }, { expiresAt: at });
  }
}
