import { LockMode } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type {
  CountedPage,
  NewRepository,
  PageRequest,
  RepoProvider,
  RepoRepository,
  Repository,
  RepositoryChanges,
  RepoStatus,
} from '@repoguard/domain';
import {
  DependencyEntity,
  DependencyMatchEntity,
  DependencySnapshotEntity,
  FindingEntity,
  OpenFindingDayEntity,
  PolicyEvaluationEntity,
  RepositoryEntity,
  ScanEntity,
} from '../entities';
import { holdScanOutcome } from '../repositories/scan-outcome-lock';

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
  statusReevaluateAt: repo.statusReevaluateAt,
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

  /** FOR UPDATE: the scan steps' write guard (connected-repo-guard) waits on it. */
  async lock(id: string): Promise<Repository | null> {
    const repo = await this.em.findOne(RepositoryEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
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

  async holdOutcome(id: string): Promise<void> {
    const trx = this.em.getTransactionContext<Knex.Transaction>();
    if (!trx) throw new Error('holdOutcome needs the unit of work’s transaction');
    await holdScanOutcome(trx, id);
  }

  async setStatus(id: string, status: RepoStatus, reevaluateAt: Date | null): Promise<void> {
    const repo = await this.em.findOneOrFail(RepositoryEntity, { id });
    this.em.assign(repo, { status, statusReevaluateAt: reevaluateAt });
  }

  markStatusDue(orgId: string, now: Date): Promise<number> {
    return this.em.nativeUpdate(RepositoryEntity, { orgId }, { statusReevaluateAt: now });
  }

  async postponeReevaluation(id: string, now: Date, until: Date): Promise<boolean> {
    const updated = await this.em.nativeUpdate(
      RepositoryEntity,
      { id, statusReevaluateAt: { $lte: now } },
      { statusReevaluateAt: until },
    );
    return updated > 0;
  }

  async dueForReevaluation(
    now: Date,
    limit: number,
    orgId?: string,
  ): Promise<Pick<Repository, 'id' | 'orgId'>[]> {
    const repos = await this.em.find(
      RepositoryEntity,
      { statusReevaluateAt: { $lte: now }, ...(orgId ? { orgId } : {}) },
      { fields: ['id', 'orgId'], orderBy: { statusReevaluateAt: 'asc', id: 'asc' }, limit },
    );
    return repos.map((repo) => ({ id: repo.id, orgId: repo.orgId }));
  }

  add(repo: NewRepository): Repository {
    return repositoryOf(this.em.create(RepositoryEntity, { ...repo }));
  }

  async update(id: string, changes: RepositoryChanges): Promise<Repository> {
    const repo = await this.em.findOneOrFail(RepositoryEntity, { id });
    this.em.assign(repo, changes);
    return repositoryOf(repo);
  }

  async list(
    orgId: string,
    filter: { status?: RepoStatus },
    page: PageRequest,
  ): Promise<CountedPage<Repository>> {
    const [repos, total] = await this.em.findAndCount(
      RepositoryEntity,
      { orgId, ...(filter.status ? { status: filter.status } : {}) },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: page.limit, offset: page.offset },
    );
    return { items: repos.map(repositoryOf), total };
  }

  async findGithub(orgId: string, owner: string, name: string): Promise<Repository | null> {
    const repo = await this.em.findOne(RepositoryEntity, {
      orgId,
      provider: 'github',
      owner: { $ilike: owner },
      name: { $ilike: name },
    });
    return repo ? repositoryOf(repo) : null;
  }

  async findByGitUrl(orgId: string, gitUrl: string): Promise<Repository | null> {
    const repo = await this.em.findOne(RepositoryEntity, { orgId, provider: 'git', gitUrl });
    return repo ? repositoryOf(repo) : null;
  }

  async findSbomProject(orgId: string, name: string): Promise<Repository | null> {
    const repo = await this.em.findOne(RepositoryEntity, { orgId, provider: 'sbom', name });
    return repo ? repositoryOf(repo) : null;
  }

  async remove(repo: Pick<Repository, 'id' | 'orgId'>): Promise<void> {
    await this.em.nativeDelete(RepositoryEntity, { id: repo.id, orgId: repo.orgId });
    await this.unlistFromRules(repo.orgId, [repo.id]);
  }

  async removeAllOf(orgId: string): Promise<string[]> {
    // One DELETE that locks each row as it goes, in the unit of work's transaction.
    const trx = this.em.getTransactionContext<Knex.Transaction>();
    const query = this.em.getKnex()('repositories').where({ org_id: orgId }).delete().returning('id');
    const rows = (await (trx ? query.transacting(trx) : query)) as { id: string }[];
    const ids = rows.map((row) => row.id);
    await this.unlistFromRules(orgId, ids);
    return ids;
  }

  /**
   * Takes removed repositories off the org's rules' lists, in the removal's transaction: a rule
   * naming a repository that no longer exists could otherwise never pass its checks again. A list
   * left empty selects nothing (the rule does not widen to every repository).
   */
  private async unlistFromRules(orgId: string, repoIds: readonly string[]): Promise<void> {
    if (repoIds.length === 0) return;
    // One text parameter (UUIDs hold no comma): a bound array would be spread into a list.
    const ids = repoIds.join(',');
    await this.em.getConnection().execute(
      `update notification_rules
          set repositories = jsonb_build_object('kind', 'list', 'repo_ids', coalesce((
                select jsonb_agg(id order by place)
                  from jsonb_array_elements_text(repositories -> 'repo_ids') with ordinality as listed(id, place)
                 where id <> all(string_to_array(?, ','))), '[]'::jsonb))
        where org_id = ? and repositories ->> 'kind' = 'list'
          and jsonb_exists_any(repositories -> 'repo_ids', string_to_array(?, ','))`,
      [ids, orgId, ids],
      'run',
      this.em.getTransactionContext(),
    );
  }

  async purgeHistory(repo: Pick<Repository, 'id' | 'orgId'>): Promise<void> {
    const where = { orgId: repo.orgId, repoId: repo.id };
    const snapshots = await this.em.find(DependencySnapshotEntity, where, { fields: ['id'] });
    const snapshotIds = snapshots.map((s) => s.id);
    await this.em.nativeDelete(FindingEntity, where);
    await this.em.nativeDelete(OpenFindingDayEntity, where);
    await this.em.nativeDelete(PolicyEvaluationEntity, where);
    await this.em.nativeDelete(ScanEntity, where);
    if (snapshotIds.length > 0) {
      // Through the entity manager, so it runs in the purge's transaction (a bare knex query would not).
      await this.em.nativeDelete(DependencyMatchEntity, {
        orgId: repo.orgId,
        snapshotId: { $in: snapshotIds },
      });
      await this.em.nativeDelete(DependencyEntity, { orgId: repo.orgId, snapshotId: { $in: snapshotIds } });
    }
    await this.em.nativeDelete(DependencySnapshotEntity, where);
  }
}
