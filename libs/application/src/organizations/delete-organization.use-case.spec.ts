import type { OrganizationRecord, ScanCanceller, Stores } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { DeleteOrganization } from './delete-organization.use-case';

const ORG = '00000000-0000-4000-8000-0000000000aa';
const NOW = '2026-12-04T15:00:00.000Z';
const caller: OrgCaller = {
  scope: { orgIds: [ORG] },
  actor: { actorType: 'user', actorId: 'owner-1', correlationId: 'c1', ip: null },
  orgId: ORG,
  role: 'owner',
};

function setUp(options: { repos?: string[]; failAt?: string; cancel?: ScanCanceller['cancel'] } = {}) {
  const done: string[] = [];
  // Each step logs itself; the one named by failAt throws, as a failing statement would.
  const step = <T>(name: string, value: T) => {
    if (options.failAt === name) return Promise.reject(new Error(`${name} failed`));
    done.push(name);
    return Promise.resolve(value);
  };
  const org: OrganizationRecord = {
    id: ORG,
    name: 'Acme',
    slug: 'acme',
    rateLimitPerMinute: null,
    deletedAt: null,
    createdAt: new Date(),
  };
  const uow = new FakeUnitOfWork({
    organizations: { markDeleted: () => step('org', { ...org, deletedAt: new Date(NOW) }) },
    memberships: { removeAll: () => step('memberships', 3) },
    apiKeys: { revokeAll: () => step('apiKeys', undefined) },
    invitations: { expirePending: () => step('invitations', undefined) },
    sealedSecrets: { removeAllOf: () => step('secrets', 4), removeOwnedBy: () => Promise.resolve(0) },
    githubInstallations: { unlinkAll: () => step('installations', ['77']) },
    repositories: { removeAllOf: () => step('repositories', options.repos ?? ['repo-1', 'repo-2']) },
    rescanSchedules: { remove: () => step('rescanSchedule', true) },
  } as unknown as Partial<Omit<Stores, 'audit'>>);
  const cancelled: string[] = [];
  const canceller: ScanCanceller = {
    cancel:
      options.cancel ??
      ((repoId) => {
        // Only once the deletion committed: every store step ran before.
        expect(done).toContain('repositories');
        cancelled.push(repoId);
        return Promise.resolve();
      }),
  };
  return { uow, done, cancelled, deleteOrg: new DeleteOrganization(uow, fixedClock(NOW), canceller) };
}

describe('DeleteOrganization', () => {
  it('revokes, expires, deletes and unlinks everything of the org in one unit of work, then stops its scans', async () => {
    const { uow, done, cancelled, deleteOrg } = setUp();
    await deleteOrg.execute({ caller });
    expect(done.sort()).toEqual(
      [
        'apiKeys',
        'installations',
        'invitations',
        'memberships',
        'org',
        'repositories',
        'rescanSchedule',
        'secrets',
      ].sort(),
    );
    expect(uow.scopes).toEqual([caller.scope]);
    expect(cancelled.sort()).toEqual(['repo-1', 'repo-2']);
    expect(uow.audited).toEqual([
      expect.objectContaining({
        orgId: ORG,
        action: 'org.deleted',
        metadata: {
          slug: 'acme',
          memberships_removed: 3,
          secrets_deleted: 4,
          installations_unlinked: ['77'],
          repositories_disconnected: 2,
        },
      }),
    ]);
  });

  it('still succeeds when the workflow engine cannot be reached: the scans end at their next step', async () => {
    const asked: string[] = [];
    const { uow, deleteOrg } = setUp({
      cancel: (repoId) => {
        asked.push(repoId);
        return Promise.reject(new Error('Temporal is down'));
      },
    });
    await expect(deleteOrg.execute({ caller })).resolves.toBeUndefined();
    expect(asked.sort()).toEqual(['repo-1', 'repo-2']);
    expect(uow.audited.map((a) => a.action)).toEqual(['org.deleted']);
  });

  it('stops no scan when the deletion fails', async () => {
    const { cancelled, deleteOrg } = setUp({ failAt: 'secrets' });
    await expect(deleteOrg.execute({ caller })).rejects.toThrow('secrets failed');
    expect(cancelled).toEqual([]);
  });
});
