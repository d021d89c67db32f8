import {
  ForbiddenError,
  ValidationError,
  type ApiKeyRecord,
  type ApiKeyRepository,
  type NewApiKey,
} from '@repoguard/domain';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import type { OrgCaller } from '../shared/caller';
import { CreateApiKey } from './create-api-key.use-case';

const ORG = '11111111-1111-4111-8111-111111111111';
const actor = { actorType: 'user' as const, actorId: 'u-1', correlationId: 'req-1', ip: null };
const caller = (role: OrgCaller['role']): OrgCaller => ({
  scope: { orgIds: [ORG] },
  actor,
  orgId: ORG,
  role,
});

function setUp() {
  const added: NewApiKey[] = [];
  const apiKeys: ApiKeyRepository = {
    add: (key) => {
      added.push(key);
      return { ...key, id: `key-${added.length}`, revokedAt: null, createdAt: new Date() } as ApiKeyRecord;
    },
    list: () => Promise.resolve([]),
    get: () => Promise.resolve(null),
    revoke: () => Promise.resolve(),
    revokeAll: () => Promise.resolve(),
  };
  const uow = new FakeUnitOfWork({ apiKeys });
  const tokens = {
    issue: () => ({ token: 'rg_key_secret', hash: 'hash-of-secret', prefix: 'rg_key_sec' }),
    hash: (t: string) => `hash-of-${t}`,
  };
  const createApiKey = new CreateApiKey(uow, tokens, fixedClock('2026-12-04T12:00:00Z'));
  return { createApiKey, uow, added };
}

describe('CreateApiKey', () => {
  it('stores only the hash, returns the secret once and audits it in the caller scope', async () => {
    const { createApiKey, uow, added } = setUp();
    const created = await createApiKey.execute({
      caller: caller('admin'),
      name: '  ci  ',
      role: 'viewer',
      expiresAt: new Date('2027-01-01T00:00:00Z'),
    });
    expect(created.token).toBe('rg_key_secret');
    expect(added).toEqual([
      expect.objectContaining({ orgId: ORG, name: 'ci', role: 'viewer', tokenHash: 'hash-of-secret' }),
    ]);
    expect(JSON.stringify(added)).not.toContain('rg_key_secret');
    expect(uow.scopes).toEqual([{ orgIds: [ORG] }]);
    expect(uow.audited).toEqual([
      expect.objectContaining({
        orgId: ORG,
        action: 'api_key.created',
        targetId: created.key.id,
        metadata: { name: 'ci', role: 'viewer', prefix: 'rg_key_sec' },
        actor,
      }),
    ]);
  });

  it('refuses a role above the caller’s own, and writes nothing', async () => {
    const { createApiKey, uow, added } = setUp();
    await expect(
      createApiKey.execute({ caller: caller('admin'), name: 'ci', role: 'owner', expiresAt: null }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect([added, uow.audited]).toEqual([[], []]);
  });

  it('refuses an expiry that is not in the future, naming expires_at', async () => {
    const { createApiKey, added } = setUp();
    const refused = createApiKey.execute({
      caller: caller('owner'),
      name: 'ci',
      role: 'viewer',
      expiresAt: new Date('2026-12-04T12:00:00Z'),
    });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ details: [{ field: 'expires_at' }] });
    expect(added).toEqual([]);
  });
});
