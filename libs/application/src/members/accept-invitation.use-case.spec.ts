import type {
  InvitationRecord,
  MembershipRecord,
  NewPersonalToken,
  OrganizationRecord,
  TokenIssuer,
  UserRecord,
} from '@repoguard/domain';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { AcceptInvitation } from './accept-invitation.use-case';

const TOKEN = 'rg_inv_abcdef';
const NOW = '2026-06-01T12:00:00.000Z';
const tokens: TokenIssuer = {
  issue: (kind) => ({ token: `rg_pat_${kind}`, hash: 'pat-hash', prefix: 'rg_pat_' }),
  hash: (token) => `hash:${token}`,
};

function setUp(invitation: Partial<InvitationRecord> = {}, org: Partial<OrganizationRecord> = {}) {
  const stored: InvitationRecord = {
    id: 'inv-1',
    orgId: 'org-1',
    email: 'bob@example.com',
    role: 'viewer',
    expiresAt: new Date('2026-06-02T00:00:00.000Z'),
    acceptedAt: null,
    ...invitation,
  };
  const locked: string[] = [];
  const accepted: string[] = [];
  const members: MembershipRecord[] = [];
  const users: UserRecord[] = [];
  const personalTokens: NewPersonalToken[] = [];
  const uow = new FakeUnitOfWork({
    invitations: {
      add: () => stored,
      lockByTokenHash: (hash) => {
        locked.push(hash);
        return Promise.resolve(hash === `hash:${TOKEN}` ? stored : null);
      },
      markAccepted: (id) => {
        accepted.push(id);
        return Promise.resolve();
      },
      expirePending: () => Promise.resolve(),
    },
    organizations: {
      get: (id) =>
        Promise.resolve({
          id,
          name: 'Acme',
          slug: 'acme',
          rateLimitPerMinute: null,
          deletedAt: null,
          createdAt: new Date(),
          ...org,
        }),
    } as FakeUnitOfWorkStores['organizations'],
    users: {
      findByEmail: (email) => Promise.resolve(users.find((u) => u.email === email) ?? null),
      add: (email) => {
        const user = { id: `user-${users.length + 1}`, email };
        users.push(user);
        return user;
      },
    },
    memberships: {
      get: (orgId, userId) =>
        Promise.resolve(members.find((m) => m.orgId === orgId && m.userId === userId) ?? null),
      add: (m) => {
        const membership = { ...m, createdAt: new Date() };
        members.push(membership);
        return membership;
      },
    } as FakeUnitOfWorkStores['memberships'],
    personalTokens: { add: (token) => void personalTokens.push(token) },
  });
  const accept = new AcceptInvitation(uow, tokens, fixedClock(NOW));
  return { uow, accept, locked, accepted, members, personalTokens };
}
type FakeUnitOfWorkStores = ConstructorParameters<typeof FakeUnitOfWork>[0] & {
  organizations: NonNullable<ConstructorParameters<typeof FakeUnitOfWork>[0]['organizations']>;
  memberships: NonNullable<ConstructorParameters<typeof FakeUnitOfWork>[0]['memberships']>;
};

const command = { token: TOKEN, correlationId: 'c1', ip: '10.0.0.1' };

describe('AcceptInvitation', () => {
  it('joins the invited email with the invited role, once, under the system scope', async () => {
    const { uow, accept, locked, accepted, members, personalTokens } = setUp();
    const result = await accept.execute(command);
    expect(result).toMatchObject({
      org: { id: 'org-1', slug: 'acme' },
      user: { email: 'bob@example.com' },
      role: 'viewer',
      token: 'rg_pat_personal',
    });
    expect(uow.scopes).toEqual(['system']);
    expect(locked).toEqual([`hash:${TOKEN}`]);
    expect(accepted).toEqual(['inv-1']);
    expect(members).toMatchObject([{ orgId: 'org-1', userId: result.user.id, role: 'viewer' }]);
    expect(personalTokens).toMatchObject([{ userId: result.user.id, name: 'member of acme' }]);
    expect(uow.audited).toEqual([
      expect.objectContaining({
        action: 'member.joined',
        actor: { actorType: 'user', actorId: result.user.id, correlationId: 'c1', ip: '10.0.0.1' },
      }),
    ]);
  });

  it('refuses an invitation already used (410 INVITATION_USED)', async () => {
    const { accept, members } = setUp({ acceptedAt: new Date('2026-05-30') });
    await expect(accept.execute(command)).rejects.toMatchObject({ kind: 'gone', code: 'INVITATION_USED' });
    expect(members).toEqual([]);
  });

  it('refuses an invitation at or past its expiry (410 INVITATION_EXPIRED)', async () => {
    const { accept, accepted } = setUp({ expiresAt: new Date(NOW) });
    await expect(accept.execute(command)).rejects.toMatchObject({ kind: 'gone', code: 'INVITATION_EXPIRED' });
    expect(accepted).toEqual([]);
  });

  it('refuses an invitation into a deleted org as expired', async () => {
    const { accept } = setUp({}, { deletedAt: new Date('2026-05-31') });
    await expect(accept.execute(command)).rejects.toMatchObject({ code: 'INVITATION_EXPIRED' });
  });

  it('does not look up what is not an invitation token (404 INVITATION_NOT_FOUND)', async () => {
    const { accept, locked } = setUp();
    await expect(accept.execute({ ...command, token: 'rg_pat_abcdef' })).rejects.toMatchObject({
      code: 'INVITATION_NOT_FOUND',
    });
    await expect(accept.execute({ ...command, token: 'rg_inv_other' })).rejects.toMatchObject({
      code: 'INVITATION_NOT_FOUND',
    });
    expect(locked).toEqual(['hash:rg_inv_other']);
  });
});
