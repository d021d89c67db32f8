import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  ManifestReader,
  ManifestSource,
  RepoCoordinates,
  RepositoryDescription,
  RepositoryDirectory,
} from '@repoguard/domain';
import { RepositoryEntity } from '../persistence/entities';

type Source = ManifestSource & RepositoryDirectory;

/**
 * Reads each repository where it lives: through GitHub's API, with the git CLI when it was
 * connected by git URL, or from its stored uploads when it is an SBOM project. The repository row (provider, URL, GitHub App installation) is read once
 * per reader, so every scan request (API, webhook, re-match) finds the same answer and a changed
 * URL applies from the next scan step.
 */
export class ProviderRoutingManifestSource implements ManifestSource, RepositoryDirectory {
  constructor(
    private readonly github: Source,
    private readonly git: Source,
    private readonly sbom: Source,
    private readonly em: EntityManager,
  ) {}

  async forRepository(repo: RepoCoordinates): Promise<ManifestReader> {
    const [source, coordinates] = await this.route(repo);
    return source.forRepository(coordinates);
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
      .findOne(
        RepositoryEntity,
        { id: repo.repoId },
        { fields: ['provider', 'gitUrl', 'installationId'], filters: false },
      );
    if (stored?.provider === 'git' && stored.gitUrl) return [this.git, { ...repo, gitUrl: stored.gitUrl }];
    if (stored?.provider === 'sbom') return [this.sbom, repo];
    // Its installation's token reads it, when it came in through one.
    const installationId = repo.installationId ?? stored?.installationId ?? undefined;
    return [this.github, installationId ? { ...repo, installationId: String(installationId) } : repo];
  }
}
