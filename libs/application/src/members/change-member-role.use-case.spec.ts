import type { MembershipRecord, MembershipRepository, Role } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { ChangeMemberRole } from './change-member-role.use-case';
import { RemoveMember } from './remove-member.use-case';

function setUp(actorRole: Role, members: Record<string, Role>) {
  const rows: MembershipRecord[] = Object.entries(members).map(([userId, role]) => ({
    orgId: 'org-1',
    userId,
    role,
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
  }));
  const calls: string[] = [];
  const memberships: Partial<MembershipRepository> = {
    lockOwners: () => {
      calls.push('lockOwners');
      return Promise.resolve(rows.filter((m) => m.role === 'owner'));
    },
    get: (_orgId, userId) => {
      calls.push('get');
      return Promise.resolve(rows.find((m) => m.userId === userId) ?? null);
    },
    setRole: (_orgId, userId, role) => {
      calls.push(`setRole ${userId} ${role}`);
      return Promise.resolve();
    },
    remove: (_orgId, userId) => {
      calls.push(`remove ${userId}`);
      return Promise.resolve();
    },
  };
  const uow = new FakeUnitOfWork({ memberships: memberships as MembershipRepository });
  const caller: OrgCaller = {
    scope: { orgIds: ['org-1'] },
    actor: { actorType: 'user', actorId: 'actor', correlationId: null, ip: null },
    orgId: 'org-1',
    role: actorRole,
  };
  return { caller, calls, uow, change: new ChangeMemberRole(uow), remove: new RemoveMember(uow) };
}

describe('ChangeMemberRole and RemoveMember', () => {
  it("lock the org's owners before reading the member, then change and audit", async () => {
    const { caller, calls, uow, change } = setUp('owner', { a: 'owner', b: 'viewer' });
    const changed = await change.execute({ caller, userId: 'b', role: 'admin' });
    expect(changed).toMatchObject({ userId: 'b', role: 'admin' });
    expect(calls).toEqual(['lockOwners', 'get', 'setRole b admin']);
    expect(uow.audited).toMatchObject([
      { action: 'member.role_changed', metadata: { from: 'viewer', to: 'admin' } },
    ]);
  });

  it('keep the last owner (409 LAST_OWNER), whether demoted or removed', async () => {
    const { caller, calls, change, remove } = setUp('owner', { a: 'owner' });
    await expect(change.execute({ caller, userId: 'a', role: 'admin' })).rejects.toMatchObject({
      code: 'LAST_OWNER',
    });
    await expect(remove.execute({ caller, userId: 'a' })).rejects.toMatchObject({ code: 'LAST_OWNER' });
    expect(calls.filter((c) => c.startsWith('setRole') || c.startsWith('remove'))).toEqual([]);
  });

  it('let only an owner manage an owner', async () => {
    const { caller, remove } = setUp('admin', { a: 'owner', b: 'owner' });
    await expect(remove.execute({ caller, userId: 'a' })).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('name an unknown member (404 MEMBER_NOT_FOUND)', async () => {
    const { caller, change } = setUp('owner', { a: 'owner' });
    await expect(change.execute({ caller, userId: 'zz', role: 'viewer' })).rejects.toMatchObject({
      code: 'MEMBER_NOT_FOUND',
    });
  });
});
