import type { InvitationRecord, Role } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { invitationRecord, invitationStore } from '../testing/invitation-fixtures';
import { RevokeInvitation } from './revoke-invitation.use-case';

const NOW = '2026-06-01T12:00:00.000Z';

function setUp(role: Role, invitation: Partial<InvitationRecord> = {}) {
  const stored = invitationRecord(invitation);
  const revoked: [string, Date][] = [];
  const uow = new FakeUnitOfWork({
    invitations: invitationStore({
      // The invitation is only found in its own org.
      lockInOrg: (orgId, id) => Promise.resolve(orgId === stored.orgId && id === stored.id ? stored : null),
      markRevoked: (id, at) => {
        revoked.push([id, at]);
        return Promise.resolve();
      },
    }),
  });
  const caller: OrgCaller = {
    scope: { orgIds: ['org-1'] },
    actor: { actorType: 'user', actorId: 'u1', correlationId: 'c1', ip: null },
    orgId: 'org-1',
    role,
  };
  return { caller, uow, revoked, revoke: new RevokeInvitation(uow, fixedClock(NOW)) };
}

describe('RevokeInvitation', () => {
  it('marks the invitation revoked now and audits it', async () => {
    const { caller, uow, revoked, revoke } = setUp('admin');
    await revoke.execute({ caller, invitationId: 'inv-1' });
    expect(revoked).toEqual([['inv-1', new Date(NOW)]]);
    expect(uow.audited).toEqual([
      expect.objectContaining({
        orgId: 'org-1',
        action: 'member.invitation_revoked',
        targetType: 'invitation',
        targetId: 'inv-1',
        metadata: { email: 'bob@example.com', role: 'viewer' },
        actor: caller.actor,
      }),
    ]);
  });

  it('an unknown id, or one of another org, is 404 INVITATION_NOT_FOUND', async () => {
    const { caller, revoke } = setUp('owner');
    await expect(revoke.execute({ caller, invitationId: 'inv-2' })).rejects.toMatchObject({
      kind: 'not_found',
      code: 'INVITATION_NOT_FOUND',
    });
    await expect(
      revoke.execute({ caller: { ...caller, orgId: 'org-2' }, invitationId: 'inv-1' }),
    ).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND' });
  });

  it('an admin may not revoke an owner invitation (as it may not invite an owner)', async () => {
    const { caller, revoked, revoke } = setUp('admin', { role: 'owner' });
    await expect(revoke.execute({ caller, invitationId: 'inv-1' })).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'FORBIDDEN',
    });
    expect(revoked).toEqual([]);
  });

  it('an accepted invitation is 409 INVITATION_USED; nothing changes', async () => {
    const { caller, uow, revoked, revoke } = setUp('owner', { acceptedAt: new Date('2026-05-31') });
    await expect(revoke.execute({ caller, invitationId: 'inv-1' })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'INVITATION_USED',
    });
    expect([revoked, uow.audited]).toEqual([[], []]);
  });

  it('revoking again changes nothing and writes no second audit row', async () => {
    const { caller, uow, revoked, revoke } = setUp('owner', { revokedAt: new Date('2026-05-31') });
    await revoke.execute({ caller, invitationId: 'inv-1' });
    expect([revoked, uow.audited]).toEqual([[], []]);
  });
});
