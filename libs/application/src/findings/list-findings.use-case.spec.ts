import type { FindingPage, FindingQueries, ListedFinding, ResourceOwners } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { ListFindings } from './list-findings.use-case';

const caller: Caller = {
  scope: { orgIds: ['org-1'] },
  actor: { actorType: 'user', actorId: 'u1', correlationId: null, ip: null },
};

function setUp(items: readonly ListedFinding[], owners: Record<string, string>) {
  const asked: string[] = [];
  const findingQueries = {
    page: () => Promise.resolve({ items: [...items], total: items.length, next: null }),
  } as unknown as FindingQueries;
  const resourceOwners: ResourceOwners = {
    orgOf: (resource, id) => {
      asked.push(`${resource}:${id}`);
      return Promise.resolve(owners[id] ?? null);
    },
  };
  const uow = new FakeUnitOfWork({ findingQueries, resourceOwners });
  return {
    asked,
    list: (repoId: string) =>
      new ListFindings(uow).execute({ caller, repoId, page: { limit: 50, offset: 0 } }),
  };
}

describe('ListFindings', () => {
  it('answers a page with findings without asking whether the repository is there', async () => {
    const { asked, list } = setUp([{ id: 'f1' } as ListedFinding], {});
    const page: FindingPage<ListedFinding> = await list('r1');
    expect(page.items.map((f) => f.id)).toEqual(['f1']);
    expect(asked).toEqual([]);
  });

  it('answers an empty page of a repository still there (or kept by its findings)', async () => {
    const { asked, list } = setUp([], { r1: 'org-1' });
    await expect(list('r1')).resolves.toEqual({ items: [], total: 0, next: null });
    expect(asked).toEqual(['repository_history:r1']);
  });

  it('refuses with REPO_NOT_FOUND when the page is empty and the repository is gone', async () => {
    const { list } = setUp([], {});
    await expect(list('r1')).rejects.toMatchObject({
      code: 'REPO_NOT_FOUND',
      message: 'No repository with id r1',
    });
  });
});
