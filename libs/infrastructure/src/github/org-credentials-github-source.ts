import type {
  GithubCredentials,
  ManifestReader,
  ManifestSource,
  RepoCoordinates,
  RepositoryDescription,
  RepositoryDirectory,
} from '@repoguard/domain';
import { GithubManifestSource, type GithubManifestSourceOptions } from './github-manifest-source';

/**
 * GitHub with the credentials the repository calls for (its app installation's token, or its org's
 * stored token), else the instance's token or anonymous access. One Octokit per token, kept while
 * the process lives. The token is looked up once per reader (a scan step) and per description, so a
 * changed or removed token applies from the next step.
 */
export class OrgCredentialsGithubSource implements ManifestSource, RepositoryDirectory {
  private readonly fallback: GithubManifestSource;
  private readonly byToken = new Map<string, GithubManifestSource>();

  constructor(
    private readonly options: GithubManifestSourceOptions,
    private readonly credentials: GithubCredentials | null,
  ) {
    this.fallback = new GithubManifestSource(options);
  }

  async forRepository(repo: RepoCoordinates): Promise<ManifestReader> {
    return (await this.clientFor(repo)).forRepository(repo);
  }

  async describeRepository(repo: RepoCoordinates): Promise<RepositoryDescription> {
    return (await this.clientFor(repo)).describeRepository(repo);
  }

  private async clientFor(repo: RepoCoordinates): Promise<GithubManifestSource> {
    const token = this.credentials ? await this.credentials.tokenFor(repo) : null;
    if (!token) return this.fallback;
    let client = this.byToken.get(token);
    if (!client) {
      client = new GithubManifestSource({ ...this.options, token });
      this.byToken.set(token, client);
    }
    return client;
  }
}
