import {
  UniqueViolationError,
  type InvitationRecord,
  type MembershipRecord,
  type OrganizationRecord,
  type TokenIssuer,
  type UserRecord,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { invitationRecord, invitationStore } from '../testing/invitation-fixtures';
import { InMemoryPersonalTokenRepository } from '../testing/in-memory-personal-token-repository';
import { AcceptInvitation } from './accept-invitation.use-case';

const TOKEN = 'rg_inv_abcdef';
const NOW = '2026-06-01T12:00:00.000Z';
const tokens: TokenIssuer = {
  issue: (kind) => ({ token: `rg_pat_${kind}`, hash: 'pat-hash', prefix: 'rg_pat_' }),
  hash: (token) => `hash:${token}`,
};

const signedIn = (userId: string, actorType: 'user' | 'api_key' | 'system' = 'user'): Caller => ({
  scope: { orgIds: ['org-other'] },
  actor: { actorType, actorId: userId, correlationId: 'c1', ip: '10.0.0.1' },
});

function setUp(
  invitation: Partial<InvitationRecord> = {},
  org: Partial<OrganizationRecord> = {},
  existingUsers: UserRecord[] = [],
) {
  const stored = invitationRecord(invitation);
  const locked: string[] = [];
  const accepted: string[] = [];
  const members: MembershipRecord[] = [];
  const users: UserRecord[] = [...existingUsers];
  const personalTokens = new InMemoryPersonalTokenRepository();
  const uow = new FakeUnitOfWork({
    invitations: invitationStore({
      lockByTokenHash: (hash) => {
        locked.push(hash);
        return Promise.resolve(hash === `hash:${TOKEN}` ? stored : null);
      },
      markAccepted: (id) => {
        accepted.push(id);
        return Promise.resolve();
      },
    }),
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
      get: (id) => Promise.resolve(users.find((u) => u.id === id) ?? null),
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
    personalTokens,
  });
  const accept = new AcceptInvitation(uow, tokens, fixedClock(NOW));
  return { uow, accept, locked, accepted, members, users, personalTokens: personalTokens.rows };
}
type Fakes = ConstructorParameters<typeof FakeUnitOfWork>[0];
type FakeUnitOfWorkStores = { [K in 'organizations' | 'memberships']: NonNullable<Fakes[K]> };

const command = { token: TOKEN, caller: null, correlationId: 'c1', ip: '10.0.0.1' };
const BOB: UserRecord = { id: 'bob-id', email: 'bob@example.com' };

describe('AcceptInvitation', () => {
  it('makes a user of a new email, joins it with the invited role once, and returns its first token', async () => {
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
        metadata: expect.objectContaining({ new_user: true }),
        actor: { actorType: 'user', actorId: result.user.id, correlationId: 'c1', ip: '10.0.0.1' },
      }),
    ]);
  });

  it('never hands out an existing user: without their token it is refused, the invitation left unused', async () => {
    const { accept, accepted, members, personalTokens, uow } = setUp({}, {}, [BOB]);
    await expect(accept.execute(command)).rejects.toMatchObject({
      kind: 'unauthenticated',
      code: 'INVITATION_SIGN_IN_REQUIRED',
    });
    expect([accepted, members, personalTokens, uow.audited]).toEqual([[], [], [], []]);
  });

  it('joins an existing user who accepts with their own token, issuing no new token', async () => {
    const { accept, accepted, members, personalTokens, uow } = setUp({}, {}, [BOB]);
    const result = await accept.execute({ ...command, caller: signedIn(BOB.id) });
    expect(result).toMatchObject({ user: BOB, role: 'viewer', token: null, tokenPrefix: null });
    expect(accepted).toEqual(['inv-1']);
    expect(members).toMatchObject([{ orgId: 'org-1', userId: BOB.id, role: 'viewer' }]);
    expect(personalTokens).toEqual([]);
    expect(uow.audited).toEqual([
      expect.objectContaining({
        action: 'member.joined',
        metadata: expect.objectContaining({ new_user: false }),
      }),
    ]);
  });

  it('refuses a signed-in user whose email is not the invited one (403), leaving the invitation unused', async () => {
    const mallory = { id: 'mallory-id', email: 'mallory@example.com' };
    const { accept, accepted, members } = setUp({}, {}, [BOB, mallory]);
    await expect(accept.execute({ ...command, caller: signedIn(mallory.id) })).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'INVITATION_EMAIL_MISMATCH',
    });
    expect([accepted, members]).toEqual([[], []]);
  });

  it('refuses an API key or the instance admin as the accepting user, before reading the invitation', async () => {
    const { accept, locked } = setUp();
    for (const caller of [signedIn('key-1', 'api_key'), signedIn('instance-admin', 'system')]) {
      await expect(accept.execute({ ...command, caller })).rejects.toMatchObject({
        kind: 'forbidden',
        code: 'INVITATION_NEEDS_USER',
      });
    }
    expect(locked).toEqual([]);
  });

  it('answers a user created by a concurrent accept as a sign-in to do, not a server error', async () => {
    const { accept, uow } = setUp();
    jest
      .spyOn(uow, 'transaction')
      .mockRejectedValueOnce(
        new UniqueViolationError('duplicate key value violates unique constraint "users_email_unique"'),
      );
    await expect(accept.execute(command)).rejects.toMatchObject({ code: 'INVITATION_SIGN_IN_REQUIRED' });
  });

  it('refuses an invitation already used (410 INVITATION_USED)', async () => {
    const { accept, members } = setUp({ acceptedAt: new Date('2026-05-30') });
    await expect(accept.execute(command)).rejects.toMatchObject({ kind: 'gone', code: 'INVITATION_USED' });
    expect(members).toEqual([]);
  });

  it('refuses a revoked invitation (410 INVITATION_REVOKED); nobody joins', async () => {
    const { accept, accepted, members, users } = setUp({ revokedAt: new Date('2026-05-31') });
    await expect(accept.execute(command)).rejects.toMatchObject({ kind: 'gone', code: 'INVITATION_REVOKED' });
    expect([accepted, members, users]).toEqual([[], [], []]);
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

  it('refuses a user already a member (409 ALREADY_MEMBER)', async () => {
    const { accept, accepted, members } = setUp({}, {}, [BOB]);
    await accept.execute({ ...command, caller: signedIn(BOB.id) });
    // A second invitation into the same org (this fake never marks one used).
    await expect(accept.execute({ ...command, caller: signedIn(BOB.id) })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'ALREADY_MEMBER',
    });
    expect([accepted, members.length]).toEqual([['inv-1'], 1]);
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
