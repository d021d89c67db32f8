import {
  instanceGithubTokenRefused,
  type GithubCredentials,
  type GithubTokenSource,
  type ManifestReader,
  type ManifestSource,
  type RepoCoordinates,
  type RepositoryDescription,
  type RepositoryDirectory,
} from '@repoguard/domain';
import { bindManifestReader } from '../shared/bound-manifest-reader';
import {
  GithubManifestSource,
  type GithubManifestSourceOptions,
  type GithubRepositoryDescription,
} from './github-manifest-source';

const INSTANCE_ACCESS: GithubTokenSource = () => Promise.resolve(null);

/**
 * GitHub with the credentials the repository calls for (its app installation's token, or its org's
 * stored token), else the instance's token or anonymous access. One Octokit per token, kept while
 * the process lives. The credentials are looked up once per reader (a scan step) and per
 * description, so a changed or removed token applies from the next step.
 *
 * The instance's token is the operator's, not a tenant's: it reads public repositories only. So
 * whenever it would be used, GitHub is asked first whether the repository is public (at connect
 * and at every scan step, so a repository that turned private stops being read with it).
 */
export class OrgCredentialsGithubSource implements ManifestSource, RepositoryDirectory {
  private readonly fallback: GithubManifestSource;
  private readonly byToken = new Map<string, GithubManifestSource>();
  private readonly hasInstanceToken: boolean;

  constructor(
    private readonly options: GithubManifestSourceOptions,
    private readonly credentials: GithubCredentials | null,
  ) {
    this.fallback = new GithubManifestSource(options);
    this.hasInstanceToken = options.token !== undefined && options.token !== '';
  }

  async forRepository(repo: RepoCoordinates): Promise<ManifestReader> {
    const token = await this.tokenSourceFor(repo);
    // One more request per step, only when the instance token would be the one used.
    if (this.hasInstanceToken && (await token()) === null) await this.describeWithInstanceAccess(repo);
    return bindManifestReader(async () => this.clientFor(await token()), repo);
  }

  async describeRepository(repo: RepoCoordinates): Promise<RepositoryDescription> {
    const token = await this.tokenSourceFor(repo);
    const current = await token();
    return current === null
      ? this.describeWithInstanceAccess(repo)
      : this.clientFor(current).describeRepository(repo);
  }

  /** Anonymous access sees public repositories only anyway; the instance token is held to the same. */
  private async describeWithInstanceAccess(repo: RepoCoordinates): Promise<GithubRepositoryDescription> {
    const described = await this.fallback.describeRepository(repo);
    if (this.hasInstanceToken && !described.isPublic) {
      throw instanceGithubTokenRefused(`${described.owner}/${described.name}`);
    }
    return described;
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
