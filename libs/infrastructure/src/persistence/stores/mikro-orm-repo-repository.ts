import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  NewRepository,
  RepoProvider,
  RepoRepository,
  Repository,
  RepositoryChanges,
  RepoStatus,
} from '@repoguard/domain';
import { RepositoryEntity } from '../entities';

export const repositoryOf = (repo: RepositoryEntity): Repository => ({
  id: repo.id,
  orgId: repo.orgId,
  provider: repo.provider,
  owner: repo.owner,
  name: repo.name,
  defaultBranch: repo.defaultBranch,
  // MikroORM hands bigint columns back as BigInt.
  externalId: repo.externalId === null ? null : String(repo.externalId),
  gitUrl: repo.gitUrl,
  installationId: repo.installationId === null ? null : String(repo.installationId),
  status: repo.status as RepoStatus,
  lastScanAt: repo.lastScanAt,
  disabledAt: repo.disabledAt,
  disabledReason: repo.disabledReason,
  createdAt: repo.createdAt,
});

export class MikroOrmRepoRepository implements RepoRepository {
  constructor(private readonly em: EntityManager) {}

  async get(id: string): Promise<Repository | null> {
    const repo = await this.em.findOne(RepositoryEntity, { id });
    return repo ? repositoryOf(repo) : null;
  }

  async findByExternalId(provider: RepoProvider, externalId: string): Promise<Repository[]> {
    const repos = await this.em.find(RepositoryEntity, { provider, externalId });
    return repos.map(repositoryOf);
  }

  async findByInstallation(installationId: string, externalIds: readonly string[]): Promise<Repository[]> {
    const repos = await this.em.find(RepositoryEntity, {
      provider: 'github',
      installationId,
      externalId: { $in: [...externalIds] },
    });
    return repos.map(repositoryOf);
  }

  add(repo: NewRepository): Repository {
    return repositoryOf(this.em.create(RepositoryEntity, { ...repo }));
  }

  async update(id: string, changes: RepositoryChanges): Promise<Repository> {
    const repo = await this.em.findOneOrFail(RepositoryEntity, { id });
    this.em.assign(repo, changes);
    return repositoryOf(repo);
  }
}
