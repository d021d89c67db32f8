import { Inject, Injectable } from '@nestjs/common';
import { type RequiredEntityData, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ConflictError,
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
import { requireSecretBox, SECRET_BOX } from '../secrets/secret-box.provider';

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
    const repo = await this.insert(
      access,
      described,
      'repo',
      {
        orgId,
        owner: described.owner,
        name: described.name,
        defaultBranch: described.defaultBranch,
        externalId: described.externalId,
        installationId: installation,
      },
      { full_name: `${described.owner}/${described.name}`, default_branch: described.defaultBranch },
    );
    return repoView(repo);
  }

  /** A repository on any git server, read with the git CLI; checked with `git ls-remote` first. */
  async connectGitUrl(access: RequestAccess, gitUrl: string, credentials?: GitHttpCredentials) {
    const orgId = access.orgId!;
    const { owner, name } = parseGitUrl(gitUrl);
    const box = credentials ? requireSecretBox(this.box) : null;
    // With a login: checked with it (it is stored only once the repository exists).
    const directory = credentials
      ? new GitCliManifestSource({
          ...gitSettings(this.config),
          credentials: givenGitCredentials(credentials),
        })
      : this.directory;
    const described = await directory
      .describeRepository({ owner, name, orgId, gitUrl })
      .catch(
        asInputError('git_url', 'no readable repository with a default branch is there', [
          'REPO_NOT_FOUND',
          'REF_NOT_FOUND',
        ]),
      );
    const existing = await access.em.findOne(RepositoryEntity, { orgId, provider: 'git', gitUrl });
    if (existing) throw alreadyConnected(described, 'git_url');
    // The repository and its sealed login are stored together or not at all.
    const repo = await this.insert(
      access,
      described,
      'git_url',
      {
        orgId,
        provider: 'git',
        owner: described.owner,
        name: described.name,
        defaultBranch: described.defaultBranch,
        gitUrl,
      },
      { git_url: gitUrl, default_branch: described.defaultBranch, credentials: credentials !== undefined },
      box && credentials
        ? (tx, created) =>
            new StoredGitCredentials(new MikroOrmSecretStore(tx, box)).store(orgId, created.id, credentials)
        : undefined,
    );
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

  /** The repository and its audit row (and what `alongside` stores with it) in one transaction. */
  private async insert(
    access: RequestAccess,
    described: RepositoryDescription,
    field: string,
    values: RequiredEntityData<RepositoryEntity>,
    metadata: Record<string, unknown>,
    alongside?: (tx: EntityManager, repo: RepositoryEntity) => Promise<void>,
  ): Promise<RepositoryEntity> {
    try {
      return await access.em.transactional(async (tx) => {
        const repo = tx.create(RepositoryEntity, values);
        recordAudit(tx, access.audit, {
          orgId: repo.orgId,
          action: 'repo.connected',
          targetType: 'repository',
          targetId: repo.id,
          metadata,
        });
        await tx.flush();
        await alongside?.(tx, repo);
        return repo;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw alreadyConnected(described, field);
      throw error;
    }
  }

  private async describe(
    ref: RepoRef,
    orgId: string,
    installationId: string | null,
  ): Promise<RepositoryDescription> {
    return this.directory
      .describeRepository({
        owner: ref.owner,
        name: ref.name,
        orgId,
        ...(installationId ? { installationId } : {}),
      })
      .catch(asInputError('repo', `${ref.fullName} was not found on GitHub`));
  }
}

/**
 * A repository the provider does not show: the request is well formed but names nothing there, so
 * the input cannot be accepted (422 naming the field).
 */
function asInputError(field: string, problem: string, codes: readonly string[] = ['REPO_NOT_FOUND']) {
  return (error: unknown): never => {
    if (error instanceof NotFoundError && codes.includes(error.code)) {
      throw new ValidationError(error.message, [{ field, problem }], 'REPO_NOT_FOUND');
    }
    throw error;
  };
}

function alreadyConnected(repo: RepositoryDescription, field = 'repo'): ConflictError {
  return new ConflictError(
    'REPO_ALREADY_CONNECTED',
    `${repo.owner}/${repo.name} is already connected to this organization`,
    [{ field, problem: 'is already connected' }],
  );
}
