import type {
  GithubCredentials,
  GithubTokenSource,
  ManifestReader,
  ManifestSource,
  RepoCoordinates,
  RepositoryDescription,
  RepositoryDirectory,
} from '@repoguard/domain';
import { bindManifestReader } from '../shared/bound-manifest-reader';
import { GithubManifestSource, type GithubManifestSourceOptions } from './github-manifest-source';

const INSTANCE_ACCESS: GithubTokenSource = () => Promise.resolve(null);

/**
 * GitHub with the credentials the repository calls for (its app installation's token, or its org's
 * stored token), else the instance's token or anonymous access. One Octokit per token, kept while
 * the process lives. The credentials are looked up once per reader (a scan step) and per
 * description, so a changed or removed token applies from the next step.
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
    const token = await this.tokenSourceFor(repo);
    return bindManifestReader(async () => this.clientFor(await token()), repo);
  }

  async describeRepository(repo: RepoCoordinates): Promise<RepositoryDescription> {
    const token = await this.tokenSourceFor(repo);
    return this.clientFor(await token()).describeRepository(repo);
  }

  private tokenSourceFor(repo: RepoCoordinates): Promise<GithubTokenSource> {
    return this.credentials ? this.credentials.tokenSourceFor(repo) : Promise.resolve(INSTANCE_ACCESS);
  }

  private clientFor(token: string | null): GithubManifestSource {
    if (!token) return this.fallback;
    let client = this.byToken.get(token);
    if (!client) {
      client = new GithubManifestSource({ ...this.options, token });
      this.byToken.set(token, client);
    }
    return client;
  }
}
