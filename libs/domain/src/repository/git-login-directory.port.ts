import type { RepositoryDirectory } from './repository-directory.port';
import type { GitLogin } from './git-login';

/**
 * Checks a git repository with a login given at connect time, before it is stored. Refuses
 * (ENCRYPTION_NOT_CONFIGURED) when the instance could not keep the login sealed afterwards.
 */
export interface GitLoginDirectory {
  withLogin(login: GitLogin): RepositoryDirectory;
}
