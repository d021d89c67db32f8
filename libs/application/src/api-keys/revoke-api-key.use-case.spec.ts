import { ForbiddenError, type ApiKeyRecord, type ApiKeyRepository, type Role } from '@repoguard/domain';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import type { OrgCaller } from '../shared/caller';
import { RevokeApiKey } from './revoke-api-key.use-case';

const ORG = '11111111-1111-4111-8111-111111111111';
const actor = { actorType: 'user' as const, actorId: 'u-1', correlationId: 'req-1', ip: null };
const caller = (role: Role): OrgCaller => ({ scope: { orgIds: [ORG] }, actor, orgId: ORG, role });

function setUp(keyRole: Role) {
  const revoked: string[] = [];
  const key: ApiKeyRecord = {
    id: 'key-1',
    orgId: ORG,
    name: 'deploy',
    role: keyRole,
    prefix: 'rg_key_abc',
    expiresAt: null,
    revokedAt: null,
    createdAt: new Date('2026-12-01T00:00:00Z'),
  };
  const apiKeys: ApiKeyRepository = {
    add: () => {
      throw new Error('not used');
    },
    list: () => Promise.resolve([key]),
    get: (id) => Promise.resolve(id === key.id ? key : null),
    revoke: (id) => {
      revoked.push(id);
      return Promise.resolve();
    },
    revokeAll: () => Promise.resolve(),
  };
  const uow = new FakeUnitOfWork({ apiKeys });
  return { revokeApiKey: new RevokeApiKey(uow, fixedClock('2026-12-04T12:00:00Z')), uow, revoked };
}

describe('RevokeApiKey', () => {
  it("refuses an admin revoking an owner's key, and writes nothing", async () => {
    const { revokeApiKey, uow, revoked } = setUp('owner');
    const refused = revokeApiKey.execute({ caller: caller('admin'), keyId: 'key-1' });
    await expect(refused).rejects.toBeInstanceOf(ForbiddenError);
    await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect([revoked, uow.audited]).toEqual([[], []]);
  });

  it.each<[Role, Role]>([
    ['owner', 'owner'],
    ['owner', 'admin'],
    ['admin', 'admin'],
    ['admin', 'viewer'],
  ])('lets an %s revoke a %s key, audited', async (callerRole, keyRole) => {
    const { revokeApiKey, uow, revoked } = setUp(keyRole);
    await revokeApiKey.execute({ caller: caller(callerRole), keyId: 'key-1' });
    expect(revoked).toEqual(['key-1']);
    expect(uow.audited).toEqual([expect.objectContaining({ action: 'api_key.revoked', targetId: 'key-1' })]);
  });
});
