import type { NewInvitation, Role, TokenIssuer } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { invitationRecord, invitationStore } from '../testing/invitation-fixtures';
import { InviteMember } from './invite-member.use-case';

const tokens: TokenIssuer = {
  issue: (kind) => ({ token: `${kind}-secret`, hash: `hash-of-${kind}-secret`, prefix: kind }),
  hash: (token) => `hash-of-${token}`,
};

// carol is a member of org-1; dave has a user (a member elsewhere) but is not in org-1.
const USERS = [
  { id: 'carol-id', email: 'carol@example.com' },
  { id: 'dave-id', email: 'dave@example.com' },
];
type Fakes = NonNullable<ConstructorParameters<typeof FakeUnitOfWork>[0]>;

function setUp(role: Role) {
  const added: NewInvitation[] = [];
  const uow = new FakeUnitOfWork({
    users: {
      get: () => Promise.resolve(null),
      findByEmail: (email) => Promise.resolve(USERS.find((u) => u.email === email) ?? null),
      add: () => {
        throw new Error('inviting creates no user');
      },
    },
    memberships: {
      get: (orgId: string, userId: string) =>
        Promise.resolve(
          orgId === 'org-1' && userId === 'carol-id'
            ? { orgId, userId, role: 'viewer' as const, createdAt: new Date() }
            : null,
        ),
    } as Fakes['memberships'],
    invitations: invitationStore({
      add: (invitation) => {
        added.push(invitation);
        return invitationRecord({ ...invitation, createdAt: new Date('2026-06-01T00:00:00.000Z') });
      },
    }),
  });
  const caller: OrgCaller = {
    scope: { orgIds: ['org-1'] },
    actor: { actorType: 'user', actorId: 'u1', correlationId: null, ip: null },
    orgId: 'org-1',
    role,
  };
  const invite = new InviteMember(uow, tokens, fixedClock('2026-06-01T00:00:00.000Z'), { ttlHours: 72 });
  return { caller, uow, added, invite };
}

describe('InviteMember', () => {
  it.each([
    ['admin', 'owner'],
    ['viewer', 'viewer'],
  ] as const)('a %s may not grant %s (403 FORBIDDEN); nothing is stored', async (actor, granted) => {
    const { caller, uow, added, invite } = setUp(actor);
    await expect(invite.execute({ caller, email: 'bob@example.com', role: granted })).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'FORBIDDEN',
    });
    expect(added).toEqual([]);
    expect(uow.audited).toEqual([]);
  });

  it('stores only the hash, expires after the TTL, and audits the invitation', async () => {
    const { caller, uow, added, invite } = setUp('admin');
    const { invitation, token } = await invite.execute({ caller, email: ' Bob@Example.com ', role: 'admin' });
    expect(token).toBe('invitation-secret');
    expect(added).toEqual([
      {
        orgId: 'org-1',
        email: 'bob@example.com',
        role: 'admin',
        tokenHash: 'hash-of-invitation-secret',
        invitedBy: 'u1',
        expiresAt: new Date('2026-06-04T00:00:00.000Z'),
      },
    ]);
    expect(uow.audited).toEqual([
      expect.objectContaining({
        action: 'member.invited',
        targetId: invitation.id,
        metadata: { email: 'bob@example.com', role: 'admin' },
      }),
    ]);
  });

  it('refuses an email that is already a member at once (409 ALREADY_MEMBER), naming the field', async () => {
    const { caller, uow, added, invite } = setUp('admin');
    await expect(
      invite.execute({ caller, email: ' Carol@Example.com', role: 'viewer' }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      code: 'ALREADY_MEMBER',
      details: [{ field: 'email', problem: 'is already a member' }],
    });
    expect(added).toEqual([]);
    expect(uow.audited).toEqual([]);
  });

  it('invites a user who exists but is not a member of this org', async () => {
    const { caller, added, invite } = setUp('admin');
    await invite.execute({ caller, email: 'dave@example.com', role: 'viewer' });
    expect(added).toMatchObject([{ email: 'dave@example.com' }]);
  });

  it('an owner may invite an owner', async () => {
    const { caller, invite } = setUp('owner');
    await expect(invite.execute({ caller, email: 'c@example.com', role: 'owner' })).resolves.toBeDefined();
  });
});
