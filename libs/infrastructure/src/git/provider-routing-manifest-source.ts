import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  ManifestSource,
  RepoCoordinates,
  RepositoryDescription,
  RepositoryDirectory,
  ResolvedCommit,
  TreeBlob,
} from '@repoguard/domain';
import { RepositoryEntity } from '../persistence/entities';
import type { GitCliManifestSource } from './git-cli-manifest-source';

type Source = ManifestSource & RepositoryDirectory;

/**
 * Reads each repository where it lives: through GitHub's API, or with the git CLI when it was
 * connected by git URL. The provider is looked up by repository id on each call, so every scan
 * request (API, webhook, re-match) finds the same answer and a changed URL applies at once.
 */
export class ProviderRoutingManifestSource implements ManifestSource, RepositoryDirectory {
  constructor(
    private readonly github: Source,
    private readonly git: GitCliManifestSource,
    private readonly em: EntityManager,
  ) {}

  async resolveCommit(repo: RepoCoordinates, ref?: string): Promise<ResolvedCommit> {
    const [source, coordinates] = await this.route(repo);
    return source.resolveCommit(coordinates, ref);
  }

  async listTree(repo: RepoCoordinates, commitSha: string): Promise<TreeBlob[]> {
    const [source, coordinates] = await this.route(repo);
    return source.listTree(coordinates, commitSha);
  }

  async readBlob(repo: RepoCoordinates, blobSha: string): Promise<Uint8Array> {
    const [source, coordinates] = await this.route(repo);
    return source.readBlob(coordinates, blobSha);
  }

  async describeRepository(repo: RepoCoordinates): Promise<RepositoryDescription> {
    const [source, coordinates] = await this.route(repo);
    return source.describeRepository(coordinates);
  }

  private async route(repo: RepoCoordinates): Promise<[Source, RepoCoordinates]> {
    if (repo.gitUrl) return [this.git, repo];
    if (!repo.repoId) return [this.github, repo];
    const stored = await this.em
      .fork()
      .findOne(RepositoryEntity, { id: repo.repoId }, { fields: ['provider', 'gitUrl'], filters: false });
    if (stored?.provider === 'git' && stored.gitUrl) return [this.git, { ...repo, gitUrl: stored.gitUrl }];
    return [this.github, repo];
  }
}
