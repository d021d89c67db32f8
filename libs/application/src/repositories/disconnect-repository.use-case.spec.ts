import type { Repository, ScanCanceller, Stores } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { DisconnectRepository } from './disconnect-repository.use-case';

const ORG = '00000000-0000-4000-8000-0000000000bb';
const REPO = '00000000-0000-4000-8000-0000000000cc';
const caller: Caller = {
  scope: { orgIds: [ORG] },
  actor: { actorType: 'user', actorId: 'admin-1', correlationId: 'c1', ip: null },
};
const repository: Repository = {
  id: REPO,
  orgId: ORG,
  provider: 'git',
  owner: 'git.example.com/team',
  name: 'app',
  defaultBranch: 'main',
  externalId: null,
  gitUrl: 'https://git.example.com/team/app.git',
  installationId: null,
  status: 'OK',
  statusReevaluateAt: null,
  lastScanAt: null,
  disabledAt: null,
  disabledReason: null,
  createdAt: new Date(),
};

function setUp(cancel?: ScanCanceller['cancel']) {
  const steps: string[] = [];
  const uow = new FakeUnitOfWork({
    repositories: {
      lock: (id: string) => {
        steps.push(`lock ${id}`);
        return Promise.resolve(id === REPO ? repository : null);
      },
      purgeHistory: () => {
        steps.push('purge');
        return Promise.resolve();
      },
      remove: () => {
        steps.push('remove');
        return Promise.resolve();
      },
    },
    sealedSecrets: {
      removeOwnedBy: (orgId: string, ownerId: string) => {
        steps.push(`secrets ${orgId} ${ownerId}`);
        return Promise.resolve(1);
      },
    },
  } as unknown as Partial<Omit<Stores, 'audit'>>);
  const canceller: ScanCanceller = {
    cancel:
      cancel ??
      ((repoId, reason) => {
        steps.push(`cancel ${repoId}: ${reason}`);
        return Promise.resolve();
      }),
  };
  return { uow, steps, disconnect: new DisconnectRepository(uow, canceller) };
}

describe('DisconnectRepository', () => {
  it('locks the row first, deletes the credentials with it, then stops the scan', async () => {
    const { uow, steps, disconnect } = setUp();
    await disconnect.execute({ caller, orgId: ORG, repoId: REPO, purge: false });
    expect(steps).toEqual([
      `lock ${REPO}`,
      `secrets ${ORG} ${REPO}`,
      'remove',
      `cancel ${REPO}: repository disconnected`,
    ]);
    expect(uow.audited).toEqual([
      expect.objectContaining({
        action: 'repo.disconnected',
        metadata: { full_name: 'git.example.com/team/app', purge: false, secrets_deleted: 1 },
      }),
    ]);
  });

  it('purges the history under the same lock', async () => {
    const { steps, disconnect } = setUp();
    await disconnect.execute({ caller, orgId: ORG, repoId: REPO, purge: true });
    expect(steps).toEqual([
      `lock ${REPO}`,
      'purge',
      `secrets ${ORG} ${REPO}`,
      'remove',
      `cancel ${REPO}: repository purged`,
    ]);
  });

  it("refuses another org's repository: nothing deleted, no scan stopped", async () => {
    const { uow, steps, disconnect } = setUp();
    const other = '00000000-0000-4000-8000-0000000000dd';
    await expect(
      disconnect.execute({ caller, orgId: other, repoId: REPO, purge: true }),
    ).rejects.toMatchObject({ code: 'REPO_NOT_FOUND' });
    expect(steps).toEqual([`lock ${REPO}`]);
    expect(uow.audited).toEqual([]);
  });

  it('is done once committed, even when the scan could not be stopped', async () => {
    const { uow, disconnect } = setUp(() => Promise.reject(new Error('Temporal is down')));
    await expect(
      disconnect.execute({ caller, orgId: ORG, repoId: REPO, purge: false }),
    ).resolves.toBeUndefined();
    expect(uow.audited).toHaveLength(1);
  });
});
