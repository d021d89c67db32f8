import { HeldRepositoryOwners } from './held-repository-owners';

describe('HeldRepositoryOwners', () => {
  it('answers a held org only to a caller whose scope holds it', () => {
    const owners = new HeldRepositoryOwners();
    owners.remember('r1', 'org-a', 0);
    expect(owners.get('r1', ['org-a', 'org-b'], 1)).toBe('org-a');
    expect(owners.get('r1', ['org-b'], 1)).toBeUndefined();
    expect(owners.get('r2', ['org-a'], 1)).toBeUndefined();
  });

  it('forgets an org after its time', () => {
    const owners = new HeldRepositoryOwners({ ttlMs: 100 });
    owners.remember('r1', 'org-a', 0);
    expect(owners.get('r1', ['org-a'], 99)).toBe('org-a');
    expect(owners.get('r1', ['org-a'], 100)).toBeUndefined();
    // Gone, not only hidden: a later time does not bring it back.
    expect(owners.get('r1', ['org-a'], 50)).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const owners = new HeldRepositoryOwners({ maxEntries: 2 });
    owners.remember('r1', 'org-a', 0);
    owners.remember('r2', 'org-a', 0);
    owners.remember('r3', 'org-a', 0);
    expect(owners.get('r1', ['org-a'], 1)).toBeUndefined();
    expect(owners.get('r2', ['org-a'], 1)).toBe('org-a');
    expect(owners.get('r3', ['org-a'], 1)).toBe('org-a');
  });
});
