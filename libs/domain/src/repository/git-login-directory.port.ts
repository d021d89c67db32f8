import type { RepositoryDirectory } from '../scan/manifest-source.port';
import type { GitLogin } from './git-login';

/**
 * Checks a git repository with a login given at connect time, before it is stored. Refuses
 * (ENCRYPTION_NOT_CONFIGURED) when the instance could not keep the login sealed afterwards.
 */
export interface GitLoginDirectory {
  withLogin(login: GitLogin): RepositoryDirectory;
}
