import type { MembershipRecord, OrganizationRecord, UserRecord } from '@repoguard/domain';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { InMemoryPersonalTokenRepository } from '../testing/in-memory-personal-token-repository';
import { CreateOrganization } from './create-organization.use-case';

const actor = { actorType: 'system' as const, actorId: 'instance-admin', correlationId: null, ip: null };
type Fakes = ConstructorParameters<typeof FakeUnitOfWork>[0];

function setUp(existing: UserRecord[] = []) {
  const users = [...existing];
  const members: Pick<MembershipRecord, 'orgId' | 'userId' | 'role'>[] = [];
  const personalTokens = new InMemoryPersonalTokenRepository();
  const uow = new FakeUnitOfWork({
    organizations: {
      add: (org): OrganizationRecord => ({
        ...org,
        id: 'org-new',
        rateLimitPerMinute: null,
        deletedAt: null,
        createdAt: new Date(),
      }),
    } as NonNullable<Fakes['organizations']>,
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
      add: (m) => {
        members.push(m);
        return { ...m, createdAt: new Date() };
      },
    } as NonNullable<Fakes['memberships']>,
    personalTokens,
  });
  const tokens = {
    issue: () => ({ token: 'rg_pat_first', hash: 'hash-first', prefix: 'rg_pat_fir' }),
    hash: (t: string) => `hash-of-${t}`,
  };
  return { create: new CreateOrganization(uow, tokens), uow, members, tokens: personalTokens.rows };
}

const input = { actor, name: 'Acme', slug: 'acme', ownerEmail: ' Alice@Example.com ' };

describe('CreateOrganization', () => {
  it('makes a new owner email a user with a first personal token', async () => {
    const { create, members, tokens } = setUp();
    const created = await create.execute(input);
    expect(created).toMatchObject({ owner: { email: 'alice@example.com' }, token: 'rg_pat_first' });
    expect(members).toEqual([{ orgId: 'org-new', userId: created.owner.id, role: 'owner' }]);
    expect(tokens).toEqual([expect.objectContaining({ userId: created.owner.id, name: 'owner of acme' })]);
  });

  it('makes an existing user owner without issuing the caller a token of theirs', async () => {
    const alice = { id: 'alice-id', email: 'alice@example.com' };
    const { create, members, tokens, uow } = setUp([alice]);
    const created = await create.execute(input);
    expect(created).toMatchObject({ owner: alice, token: null, tokenPrefix: null });
    expect(members).toEqual([{ orgId: 'org-new', userId: alice.id, role: 'owner' }]);
    expect(tokens).toEqual([]);
    expect(uow.audited).toEqual([
      expect.objectContaining({
        action: 'org.created',
        metadata: expect.objectContaining({ owner_id: alice.id, new_owner: false }),
      }),
    ]);
  });
});
