import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  ConflictError,
  DomainError,
  NotFoundError,
  RepoRef,
  ValidationError,
  type RepositoryDescription,
  type RepositoryDirectory,
} from '@repoguard/domain';
import {
  type AesGcmSecretBox,
  GitCliManifestSource,
  gitSettings,
  givenGitCredentials,
  type GitHttpCredentials,
  MikroOrmSecretStore,
  parseGitUrl,
  StoredGitCredentials,
  DependencyEntity,
  DependencySnapshotEntity,
  FindingEntity,
  PolicyEvaluationEntity,
  recordAudit,
  RepositoryEntity,
  ScanEntity,
} from '@repoguard/infrastructure';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, pageOf } from '../common/pagination';
import type { RepoListQuery } from './repo.dto';
import { linkedInstallation } from '../github/linked-installation';
import { REPOSITORY_DIRECTORY } from './repository-directory.provider';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SECRET_BOX } from '../secrets/secret-box.provider';

export const repoView = (repo: RepositoryEntity) => ({
  id: repo.id,
  org_id: repo.orgId,
  provider: repo.provider,
  owner: repo.owner,
  name: repo.name,
  full_name: `${repo.owner}/${repo.name}`,
  default_branch: repo.defaultBranch,
  status: repo.status,
  last_scan_at: repo.lastScanAt?.toISOString() ?? null,
  // MikroORM hands bigint columns back as BigInt, which JSON cannot carry.
  github_id: repo.externalId === null ? null : String(repo.externalId),
  git_url: repo.gitUrl,
  installation_id: repo.installationId === null ? null : String(repo.installationId),
  disabled: repo.disabledAt ? { at: repo.disabledAt.toISOString(), reason: repo.disabledReason } : null,
  created_at: repo.createdAt.toISOString(),
});

@Injectable()
export class ReposService {
  constructor(
    @Inject(REPOSITORY_DIRECTORY) private readonly directory: RepositoryDirectory,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(SECRET_BOX) private readonly box: AesGcmSecretBox | null,
  ) {}

  async connect(access: RequestAccess, input: string, installationId?: number) {
    const ref = RepoRef.parse(input, 'repo');
    const orgId = access.orgId!;
    const installation = installationId === undefined ? null : String(installationId);
    if (installation) await linkedInstallation(access.em, orgId, installation);
    const described = await this.describe(ref, orgId, installation);
    const existing = await access.em.findOne(RepositoryEntity, {
      orgId,
      provider: 'github',
      owner: { $ilike: described.owner },
      name: { $ilike: described.name },
    });
    if (existing) throw alreadyConnected(described);
    const repo = access.em.create(RepositoryEntity, {
      orgId,
      owner: described.owner,
      name: described.name,
      defaultBranch: described.defaultBranch,
      externalId: described.externalId,
      installationId: installation,
    });
    recordAudit(access.em, access.audit, {
      orgId,
      action: 'repo.connected',
      targetType: 'repository',
      targetId: repo.id,
      metadata: { full_name: `${repo.owner}/${repo.name}`, default_branch: repo.defaultBranch },
    });
    try {
      await access.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw alreadyConnected(described);
      throw error;
    }
    return repoView(repo);
  }

  /** A repository on any git server, read with the git CLI; checked with `git ls-remote` first. */
  async connectGitUrl(access: RequestAccess, gitUrl: string, credentials?: GitHttpCredentials) {
    const orgId = access.orgId!;
    const { owner, name } = parseGitUrl(gitUrl);
    if (credentials && !this.box) {
      throw new DomainError(
        'unavailable',
        'ENCRYPTION_NOT_CONFIGURED',
        'Set REPOGUARD_ENCRYPTION_KEY to store credentials',
      );
    }
    // With a login: checked with it (it is stored only once the repository exists).
    const directory = credentials
      ? new GitCliManifestSource({
          ...gitSettings(this.config),
          credentials: givenGitCredentials(credentials),
        })
      : this.directory;
    let described: RepositoryDescription;
    try {
      described = await directory.describeRepository({ owner, name, orgId, gitUrl });
    } catch (error) {
      if (
        error instanceof NotFoundError &&
        (error.code === 'REPO_NOT_FOUND' || error.code === 'REF_NOT_FOUND')
      ) {
        throw new ValidationError(
          error.message,
          [{ field: 'git_url', problem: 'no readable repository with a default branch is there' }],
          'REPO_NOT_FOUND',
        );
      }
      throw error;
    }
    const existing = await access.em.findOne(RepositoryEntity, { orgId, provider: 'git', gitUrl });
    if (existing) throw alreadyConnected(described, 'git_url');
    const create = (em: typeof access.em) => {
      const created = em.create(RepositoryEntity, {
        orgId,
        provider: 'git',
        owner: described.owner,
        name: described.name,
        defaultBranch: described.defaultBranch,
        gitUrl,
      });
      recordAudit(em, access.audit, {
        orgId,
        action: 'repo.connected',
        targetType: 'repository',
        targetId: created.id,
        metadata: {
          git_url: gitUrl,
          default_branch: created.defaultBranch,
          credentials: credentials !== undefined,
        },
      });
      return created;
    };
    let repo: RepositoryEntity;
    try {
      // The repository and its sealed login are stored together or not at all.
      repo = await access.em.transactional(async (tx) => {
        const created = create(tx);
        await tx.flush();
        if (credentials) {
          await new StoredGitCredentials(new MikroOrmSecretStore(tx, this.box!)).store(
            orgId,
            created.id,
            credentials,
          );
        }
        return created;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw alreadyConnected(described, 'git_url');
      throw error;
    }
    return repoView(repo);
  }

  async list(access: RequestAccess, query: RepoListQuery) {
    const [repos, total] = await access.em.findAndCount(
      RepositoryEntity,
      { orgId: access.orgId!, ...(query.status ? { status: query.status } : {}) },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: query.per_page, offset: offsetOf(query) },
    );
    return pageOf(repos.map(repoView), query, total);
  }

  /** The repo named in the path, which must also be in the org the path names. */
  async get(access: RequestAccess, orgId: string, repoId: string): Promise<RepositoryEntity> {
    const repo = await access.em.findOne(RepositoryEntity, { id: repoId, orgId });
    if (!repo) throw new NotFoundError('REPO_NOT_FOUND', `No repository with id ${repoId}`);
    return repo;
  }

  async disconnect(access: RequestAccess, repo: RepositoryEntity, purge: boolean): Promise<void> {
    await access.em.transactional(async (tx) => {
      const where = { orgId: repo.orgId, repoId: repo.id };
      if (purge) {
        const snapshots = await tx.find(DependencySnapshotEntity, where, { fields: ['id'] });
        const snapshotIds = snapshots.map((s) => s.id);
        await tx.nativeDelete(FindingEntity, where);
        await tx.nativeDelete(PolicyEvaluationEntity, where);
        await tx.nativeDelete(ScanEntity, where);
        if (snapshotIds.length > 0) {
          await tx
            .getKnex()('dependency_matches')
            .whereIn('snapshot_id', snapshotIds)
            .andWhere('org_id', repo.orgId)
            .delete();
          await tx.nativeDelete(DependencyEntity, { orgId: repo.orgId, snapshotId: { $in: snapshotIds } });
        }
        await tx.nativeDelete(DependencySnapshotEntity, where);
      }
      await tx.nativeDelete(RepositoryEntity, { id: repo.id, orgId: repo.orgId });
      recordAudit(tx, access.audit, {
        orgId: repo.orgId,
        action: 'repo.disconnected',
        targetType: 'repository',
        targetId: repo.id,
        metadata: { full_name: `${repo.owner}/${repo.name}`, purge },
      });
      await tx.flush();
    });
  }

  private async describe(
    ref: RepoRef,
    orgId: string,
    installationId: string | null,
  ): Promise<RepositoryDescription> {
    try {
      return await this.directory.describeRepository({
        owner: ref.owner,
        name: ref.name,
        orgId,
        ...(installationId ? { installationId } : {}),
      });
    } catch (error) {
      // The request is well formed but names nothing GitHub shows: the input cannot be accepted.
      if (error instanceof NotFoundError && error.code === 'REPO_NOT_FOUND') {
        throw new ValidationError(
          error.message,
          [{ field: 'repo', problem: `${ref.fullName} was not found on GitHub` }],
          'REPO_NOT_FOUND',
        );
      }
      throw error;
    }
  }
}

function alreadyConnected(repo: RepositoryDescription, field = 'repo'): ConflictError {
  return new ConflictError(
    'REPO_ALREADY_CONNECTED',
    `${repo.owner}/${repo.name} is already connected to this organization`,
    [{ field, problem: 'is already connected' }],
  );
}
