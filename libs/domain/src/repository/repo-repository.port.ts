import type { CountedPage, PageRequest } from '../shared/page-request';
import type { RepoProvider, Repository } from './repository.entity';
import type { RepoStatus } from './repo-status';

export type NewRepository = Pick<Repository, 'orgId' | 'owner' | 'name' | 'defaultBranch'> &
  Partial<Pick<Repository, 'provider' | 'externalId' | 'gitUrl' | 'installationId'>>;

/** What may change on a connected repository after it was connected. */
export type RepositoryChanges = Partial<
  Pick<Repository, 'owner' | 'name' | 'defaultBranch' | 'disabledAt' | 'disabledReason'>
>;

/** Connected repositories, as the unit of work's tenant scope lets it see them. */
export interface RepoRepository {
  get(id: string): Promise<Repository | null>;
  /**
   * Like get, and locks the row until the unit of work ends: a scan step writing for the
   * repository waits, then finds it gone. Take it before removing or purging.
   */
  lock(id: string): Promise<Repository | null>;
  /** Repositories connected from the provider's immutable id, in every org that connected it. */
  findByExternalId(provider: RepoProvider, externalId: string): Promise<Repository[]>;
  /** GitHub repositories read through the installation, among these provider ids. */
  findByInstallation(installationId: string, externalIds: readonly string[]): Promise<Repository[]>;
  /**
   * Holds, until the unit of work's transaction ends, the lock that a scan's findings sync and its
   * completion take for the repository: a status judged under it is neither judged on findings a
   * sync is half-way through nor overwritten by a verdict judged before it. Take it before writing
   * any of the repository's findings, or the sync waiting on that row deadlocks with it.
   */
  holdOutcome(id: string): Promise<void>;
  /** Records the status judged now, and when to judge it again (null: only when something changes). */
  setStatus(id: string, status: RepoStatus, reevaluateAt: Date | null): Promise<void>;
  /** Marks the org's repositories due to be judged again at once (a policy change); how many. */
  markStatusDue(orgId: string, now: Date): Promise<number>;
  /**
   * Moves a repository that is still due (due at or before `now`) to be judged again at `until`
   * instead: one whose re-evaluation failed, so it does not stay first in line; false if it is no
   * longer due (judged meanwhile).
   */
  postponeReevaluation(id: string, now: Date, until: Date): Promise<boolean>;
  /** Up to `limit` repositories (of one org, if given) whose status is due to be judged again, most overdue first. */
  dueForReevaluation(now: Date, limit: number, orgId?: string): Promise<Pick<Repository, 'id' | 'orgId'>[]>;
  /** Queued with the unit of work; the id is known at once. */
  add(repo: NewRepository): Repository;
  update(id: string, changes: RepositoryChanges): Promise<Repository>;
  /** The org's repositories, newest first. */
  list(orgId: string, filter: { status?: RepoStatus }, page: PageRequest): Promise<CountedPage<Repository>>;
  /** The org's GitHub repository by owner and name, compared case-insensitively as GitHub does. */
  findGithub(orgId: string, owner: string, name: string): Promise<Repository | null>;
  findByGitUrl(orgId: string, gitUrl: string): Promise<Repository | null>;
  /** The org's SBOM project of this name (exact). */
  findSbomProject(orgId: string, name: string): Promise<Repository | null>;
  /** Removes the repository and takes it off the lists of its org's notification rules. */
  remove(repo: Pick<Repository, 'id' | 'orgId'>): Promise<void>;
  /** Removes every repository of the org (its history stays, as with remove; rules' lists too); their ids. */
  removeAllOf(orgId: string): Promise<string[]>;
  /** Deletes the repository's findings, evaluations, scans and snapshots (with their dependencies). */
  purgeHistory(repo: Pick<Repository, 'id' | 'orgId'>): Promise<void>;
}
