import type { OrganizationRecord, OrganizationRepository, WebhookSecretStore } from '@repoguard/domain';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import type { Caller, OrgCaller } from '../shared/caller';
import { GetWebhookSecretStatus } from './get-webhook-secret-status.use-case';
import { OpenOrgWebhookSecret } from './open-org-webhook-secret.use-case';
import { RemoveWebhookSecret } from './remove-webhook-secret.use-case';
import { RotateWebhookSecret } from './rotate-webhook-secret.use-case';

const ORG = '11111111-1111-4111-8111-111111111111';
const caller: OrgCaller = {
  scope: { orgIds: [ORG] },
  actor: { actorType: 'user', actorId: 'u-1', correlationId: 'req-1', ip: null },
  orgId: ORG,
  role: 'admin',
};

/** One org's sealed secret, in memory (sealing itself is the adapter's). */
function setUp(org: Partial<OrganizationRecord> | null = {}) {
  const held = new Map<string, { secret: string; at: Date }>();
  let clock = 0;
  const webhookSecrets: WebhookSecretStore = {
    seal: async (orgId, secret) => void held.set(orgId, { secret, at: new Date(++clock * 1000) }),
    remove: async (orgId) => held.delete(orgId),
    updatedAt: async (orgId) => held.get(orgId)?.at ?? null,
    open: async (orgId) => held.get(orgId)?.secret ?? null,
  };
  const organizations = {
    get: async (id: string) => (org && id === ORG ? { id, deletedAt: null, ...org } : null),
  } as unknown as OrganizationRepository;
  const uow = new FakeUnitOfWork({ webhookSecrets, organizations });
  let issued = 0;
  const tokens = {
    issue: () => ({ token: `rg_whsec_secret-${++issued}`, hash: 'unused', prefix: 'rg_whsec_s' }),
    hash: (t: string) => t,
  };
  return { uow, held, rotate: new RotateWebhookSecret(uow, tokens) };
}

describe('org webhook secrets', () => {
  it('issues a secret once, replaces it on rotation, audits both without the value', async () => {
    const { uow, held, rotate } = setUp();
    const first = await rotate.execute({ caller });
    expect(first).toEqual({ secret: 'rg_whsec_secret-1', rotated: false, updatedAt: new Date(1000) });
    const second = await rotate.execute({ caller });
    expect(second).toMatchObject({ secret: 'rg_whsec_secret-2', rotated: true });
    // No overlap: only the new one is held.
    expect([...held.values()].map((h) => h.secret)).toEqual(['rg_whsec_secret-2']);
    expect(uow.scopes).toEqual([{ orgIds: [ORG] }, { orgIds: [ORG] }]);
    expect(uow.audited.map((a) => [a.action, a.orgId, a.metadata])).toEqual([
      ['webhook_secret.set', ORG, { rotated: false }],
      ['webhook_secret.set', ORG, { rotated: true }],
    ]);
    expect(JSON.stringify(uow.audited)).not.toContain('rg_whsec_secret');
  });

  it('tells whether one is set, never what it is; removes it, audited only when there was one', async () => {
    const { uow, rotate } = setUp();
    const status = new GetWebhookSecretStatus(uow);
    const remove = new RemoveWebhookSecret(uow);
    expect(await status.execute({ caller })).toEqual({ updatedAt: null });
    await rotate.execute({ caller });
    expect(await status.execute({ caller })).toEqual({ updatedAt: new Date(1000) });
    await remove.execute({ caller });
    await remove.execute({ caller });
    expect(await status.execute({ caller })).toEqual({ updatedAt: null });
    expect(uow.audited.map((a) => a.action)).toEqual(['webhook_secret.set', 'webhook_secret.removed']);
  });

  describe('OpenOrgWebhookSecret', () => {
    const delivery: Caller = {
      scope: { orgIds: [ORG] },
      actor: { actorType: 'webhook', actorId: 'github', correlationId: null, ip: null },
    };

    it("opens the org's secret for its URL", async () => {
      const { uow, rotate } = setUp();
      await rotate.execute({ caller });
      expect(await new OpenOrgWebhookSecret(uow).execute({ caller: delivery, orgId: ORG })).toBe(
        'rg_whsec_secret-1',
      );
    });

    it.each([
      ['a malformed org id', {}, 'not-a-uuid'],
      ['an unknown org', null, ORG],
      ['a deleted org', { deletedAt: new Date() }, ORG],
    ])('has none for %s', async (_name, org, orgId) => {
      const { uow, rotate } = setUp(org);
      await rotate.execute({ caller });
      const before = uow.scopes.length;
      expect(await new OpenOrgWebhookSecret(uow).execute({ caller: delivery, orgId })).toBeNull();
      // A malformed id is not even looked up.
      if (orgId !== ORG) expect(uow.scopes).toHaveLength(before);
    });

    it('has none for an org without a secret', async () => {
      const { uow } = setUp();
      expect(await new OpenOrgWebhookSecret(uow).execute({ caller: delivery, orgId: ORG })).toBeNull();
    });
  });
});
