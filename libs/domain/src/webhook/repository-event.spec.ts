import { repositoryChangeOf } from './repository-event';

const event = (action: string, repo: Record<string, unknown> = {}) => ({
  action,
  repository: { id: 42, name: 'web', owner: { login: 'acme' }, default_branch: 'main', ...repo },
});

describe('repositoryChangeOf', () => {
  it('takes the current owner, name and default branch (renames, transfers, edits)', () => {
    expect(repositoryChangeOf(event('renamed', { name: 'web2' }))).toEqual({
      githubId: 42,
      owner: 'acme',
      name: 'web2',
      defaultBranch: 'main',
    });
  });

  it('disables on archive and delete, enables on unarchive', () => {
    expect(repositoryChangeOf(event('archived'))?.disable).toBe('archived on GitHub');
    expect(repositoryChangeOf(event('deleted'))?.disable).toBe('deleted on GitHub');
    expect(repositoryChangeOf(event('unarchived'))?.disable).toBeNull();
    expect(repositoryChangeOf(event('publicized'))).not.toHaveProperty('disable');
  });

  it('refuses payloads without the repository fields', () => {
    expect(
      repositoryChangeOf({ action: 'renamed', repository: { id: '42', name: 'x', owner: { login: 'a' } } }),
    ).toBeNull();
    expect(repositoryChangeOf({ action: 'renamed' })).toBeNull();
  });
});
