import type { RepoProvider, Repository } from './repository.entity';

export type NewRepository = Pick<Repository, 'orgId' | 'owner' | 'name' | 'defaultBranch'> &
  Partial<Pick<Repository, 'provider' | 'externalId' | 'gitUrl' | 'installationId'>>;

/** What may change on a connected repository after it was connected. */
export type RepositoryChanges = Partial<
  Pick<Repository, 'owner' | 'name' | 'defaultBranch' | 'disabledAt' | 'disabledReason'>
>;

/** Connected repositories, as the unit of work's tenant scope lets it see them. */
export interface RepoRepository {
  get(id: string): Promise<Repository | null>;
  /** Repositories connected from the provider's immutable id, in every org that connected it. */
  findByExternalId(provider: RepoProvider, externalId: string): Promise<Repository[]>;
  /** GitHub repositories read through the installation, among these provider ids. */
  findByInstallation(installationId: string, externalIds: readonly string[]): Promise<Repository[]>;
  /** Queued with the unit of work; the id is known at once. */
  add(repo: NewRepository): Repository;
  update(id: string, changes: RepositoryChanges): Promise<Repository>;
}
