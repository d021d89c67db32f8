import type { GitLogin } from './git-login';

/** Logins of repositories connected by git URL, sealed at rest. */
export interface GitLoginStore {
  seal(orgId: string, repoId: string, login: GitLogin): Promise<void>;
}
