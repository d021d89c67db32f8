import type { RepoCoordinates } from '@repoguard/domain';
import type { MikroOrmSecretStore } from '../persistence/repositories/mikro-orm-secret-store';
import type { GitCredentials, GitHttpCredentials } from './git-cli-manifest-source';

/** A repository's https login for its git server, sealed in `stored_secrets` (kind git_credentials). */
export class StoredGitCredentials implements GitCredentials {
  constructor(private readonly secrets: MikroOrmSecretStore) {}

  async credentialsFor(repo: RepoCoordinates): Promise<GitHttpCredentials | null> {
    if (!repo.orgId || !repo.repoId) return null;
    const stored = await this.secrets.get(repo.orgId, 'git_credentials', repo.repoId);
    return stored ? parseGitCredentials(stored) : null;
  }

  async store(orgId: string, repoId: string, credentials: GitHttpCredentials): Promise<void> {
    await this.secrets.put(orgId, 'git_credentials', repoId, JSON.stringify(credentials));
  }
}

function parseGitCredentials(stored: string): GitHttpCredentials {
  const value = JSON.parse(stored) as Partial<GitHttpCredentials>;
  return { username: String(value.username ?? ''), password: String(value.password ?? '') };
}

/** For one call (checking a repository before it is connected and has an id to store them under). */
export function givenGitCredentials(credentials: GitHttpCredentials): GitCredentials {
  return { credentialsFor: () => Promise.resolve(credentials) };
}
