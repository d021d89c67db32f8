import {
  ValidationError,
  type OrganizationChanges,
  type OrganizationRecord,
  type OrganizationRepository,
} from '@repoguard/domain';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import type { OrgCaller } from '../shared/caller';
import { UpdateOrganization } from './update-organization.use-case';

const ORG = '11111111-1111-4111-8111-111111111111';
const actor = { actorType: 'user' as const, actorId: 'u-1', correlationId: 'req-1', ip: null };
const caller: OrgCaller = { scope: { orgIds: [ORG] }, actor, orgId: ORG, role: 'owner' };

function setUp() {
  const updates: OrganizationChanges[] = [];
  const org: OrganizationRecord = {
    id: ORG,
    name: 'Acme',
    slug: 'acme',
    rateLimitPerMinute: null,
    deletedAt: null,
    createdAt: new Date('2026-12-01T00:00:00Z'),
  };
  const organizations = {
    update: (_id: string, changes: OrganizationChanges) => {
      updates.push(changes);
      return Promise.resolve({ ...org, ...changes });
    },
  } as unknown as OrganizationRepository;
  const uow = new FakeUnitOfWork({ organizations });
  const update = new UpdateOrganization(uow, { instanceRateLimitPerMinute: 600 });
  return { update, uow, updates };
}

describe('UpdateOrganization', () => {
  it('sets a limit up to the instance limit, audited', async () => {
    const { update, uow } = setUp();
    const org = await update.execute({ caller, rateLimitPerMinute: 600 });
    expect(org.rateLimitPerMinute).toBe(600);
    expect(uow.audited).toEqual([
      expect.objectContaining({ action: 'org.updated', metadata: { rate_limit_per_minute: 600 } }),
    ]);
  });

  it("refuses a limit above the instance's naming the field, and writes nothing", async () => {
    const { update, uow, updates } = setUp();
    const refused = update.execute({ caller, name: 'Renamed', rateLimitPerMinute: 601 });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ details: [{ field: 'rate_limit_per_minute' }] });
    expect([updates, uow.audited, uow.scopes]).toEqual([[], [], []]);
  });

  it('takes null back to the instance default', async () => {
    const { update, updates } = setUp();
    await update.execute({ caller, rateLimitPerMinute: null });
    expect(updates).toEqual([{ rateLimitPerMinute: null }]);
  });
});
