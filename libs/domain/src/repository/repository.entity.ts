import type { RepoStatus } from './repo-status';

export type RepoProvider = 'github' | 'git';

/** A repository an organisation connected. */
export interface Repository {
  readonly id: string;
  readonly orgId: string;
  readonly provider: RepoProvider;
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  readonly status: RepoStatus;
  readonly lastScanAt: Date | null;
}
