import type { ApiKeyRecord, Principal } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { InMemoryPersonalTokenRepository } from '../testing/in-memory-personal-token-repository';
import { GetCurrentIdentity } from './get-current-identity.use-case';

const KEY: ApiKeyRecord = {
  id: 'key-1',
  orgId: 'org-1',
  name: 'ci',
  role: 'viewer',
  prefix: 'rg_key_abc',
  expiresAt: null,
  revokedAt: null,
  createdAt: new Date('2026-05-01T00:00:00.000Z'),
};

function setUp() {
  const personalTokens = new InMemoryPersonalTokenRepository();
  const token = personalTokens.add({ userId: 'u1', name: 'laptop', tokenHash: 'h', prefix: 'rg_pat_abc' });
  const uow = new FakeUnitOfWork({
    users: {
      get: (id) => Promise.resolve(id === 'u1' ? { id, email: 'alice@example.com' } : null),
      findByEmail: () => Promise.resolve(null),
      add: () => {
        throw new Error('reading creates no user');
      },
    },
    personalTokens,
    apiKeys: {
      get: (id: string) => Promise.resolve(id === KEY.id ? KEY : null),
    } as NonNullable<ConstructorParameters<typeof FakeUnitOfWork>[0]['apiKeys']>,
  });
  return { token, get: new GetCurrentIdentity(uow) };
}

const callerOf = (principal: Principal): Caller => ({
  scope: { orgIds: [...principal.roles.keys()] },
  actor: { actorType: 'user', actorId: principal.id, correlationId: null, ip: null },
});

describe('GetCurrentIdentity', () => {
  it('a user: who they are, the personal token they called with and their orgs', async () => {
    const { token, get } = setUp();
    const principal: Principal = {
      kind: 'user',
      id: 'u1',
      tokenId: token.id,
      roles: new Map([['org-1', 'admin']]),
    };
    expect(await get.execute({ caller: callerOf(principal), principal })).toEqual({
      kind: 'user',
      user: { id: 'u1', email: 'alice@example.com' },
      token,
      orgs: [{ orgId: 'org-1', role: 'admin' }],
    });
  });

  it('an API key: the key itself', async () => {
    const { get } = setUp();
    const principal: Principal = {
      kind: 'api_key',
      id: KEY.id,
      tokenId: KEY.id,
      roles: new Map([['org-1', 'viewer']]),
    };
    expect(await get.execute({ caller: callerOf(principal), principal })).toEqual({
      kind: 'api_key',
      apiKey: KEY,
    });
  });

  it('the instance admin: nothing to look up', async () => {
    const { get } = setUp();
    const principal: Principal = {
      kind: 'instance_admin',
      id: null,
      tokenId: 'instance-admin',
      roles: new Map(),
    };
    expect(await get.execute({ caller: callerOf(principal), principal })).toEqual({ kind: 'instance_admin' });
  });

  it('a token gone since authentication is 401 TOKEN_INVALID', async () => {
    const { get } = setUp();
    const principal: Principal = { kind: 'user', id: 'u1', tokenId: 'pt-gone', roles: new Map() };
    await expect(get.execute({ caller: callerOf(principal), principal })).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
  });
});
