import type { EntityManager } from '@mikro-orm/postgresql';
import {
  NotFoundError,
  SBOM_FILE_NAMES,
  type ManifestBlobStore,
  type ManifestReader,
  type ManifestSource,
  type RepoCoordinates,
  type RepositoryDescription,
  type RepositoryDirectory,
  type ResolvedCommit,
  type TreeBlob,
} from '@repoguard/domain';
import { ManifestBlobEntity, RepositoryEntity, SbomUploadEntity } from '../persistence/entities';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A project of provider `sbom` read as if it were a repository: its "commits" are its uploads (by
 * the SHA-256 of the document), its default branch's head is the newest upload, and each commit's
 * tree is the one document, under the name that selects its parser (`sbom.cdx.json`...). The
 * documents are read from the manifest blob store, where the upload put them.
 */
export class StoredSbomManifestSource implements ManifestSource, RepositoryDirectory {
  constructor(
    private readonly em: EntityManager,
    private readonly blobs: ManifestBlobStore,
  ) {}

  async forRepository(repo: RepoCoordinates): Promise<ManifestReader> {
    const project = await this.project(repo);
    const uploadOf = async (sha: string | undefined) => {
      const upload = await this.em
        .fork()
        .findOne(
          SbomUploadEntity,
          { repoId: project.id, ...(sha ? { sha256: sha } : {}) },
          { orderBy: { uploadedAt: 'desc', id: 'desc' }, filters: false },
        );
      if (!upload)
        throw new NotFoundError(
          'REF_NOT_FOUND',
          sha ? `${project.name} has no SBOM upload ${sha}` : `${project.name} has no SBOM uploaded yet`,
        );
      return upload;
    };
    return {
      resolveCommit: async (ref?: string): Promise<ResolvedCommit> => {
        const named = ref !== undefined && SHA256.test(ref) ? ref : undefined;
        const upload = await uploadOf(named);
        return { sha: upload.sha256, ref: named ?? project.defaultBranch };
      },
      listTree: async (sha: string): Promise<TreeBlob[]> => {
        const upload = await uploadOf(sha);
        const blob = await this.em
          .fork()
          .findOne(ManifestBlobEntity, { sha }, { fields: ['sha', 'size'], filters: false });
        if (!blob)
          throw new NotFoundError('REF_NOT_FOUND', `the SBOM ${sha} of ${project.name} is not stored`);
        return [{ path: SBOM_FILE_NAMES[upload.format], sha, size: blob.size }];
      },
      readBlob: async (sha: string): Promise<Uint8Array> => {
        const content = (await this.blobs.get([sha])).get(sha);
        if (!content)
          throw new NotFoundError('REF_NOT_FOUND', `the SBOM ${sha} of ${project.name} is not stored`);
        return content;
      },
    };
  }

  async describeRepository(repo: RepoCoordinates): Promise<RepositoryDescription> {
    const project = await this.project(repo);
    return {
      owner: project.owner,
      name: project.name,
      defaultBranch: project.defaultBranch,
      externalId: null,
    };
  }

  private async project(repo: RepoCoordinates): Promise<RepositoryEntity> {
    const found = repo.repoId
      ? await this.em
          .fork()
          .findOne(RepositoryEntity, { id: repo.repoId, provider: 'sbom' }, { filters: false })
      : null;
    if (!found) throw new NotFoundError('REPO_NOT_FOUND', `No SBOM project ${repo.owner}/${repo.name}`);
    return found;
  }
}
