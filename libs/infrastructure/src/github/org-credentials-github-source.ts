import type {
  GithubCredentials,
  ManifestSource,
  RepoCoordinates,
  RepositoryDescription,
  RepositoryDirectory,
  ResolvedCommit,
  TreeBlob,
} from '@repoguard/domain';
import { GithubManifestSource, type GithubManifestSourceOptions } from './github-manifest-source';

/**
 * GitHub with the credentials the repository calls for (its app installation's token, or its org's
 * stored token), else the instance's token or anonymous access. One Octokit per token, kept while the process lives; the
 * token is looked up on each call, so a changed or removed token takes effect at once.
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

  async resolveCommit(repo: RepoCoordinates, ref?: string): Promise<ResolvedCommit> {
    return (await this.sourceFor(repo)).resolveCommit(repo, ref);
  }

  async listTree(repo: RepoCoordinates, commitSha: string): Promise<TreeBlob[]> {
    return (await this.sourceFor(repo)).listTree(repo, commitSha);
  }

  async readBlob(repo: RepoCoordinates, blobSha: string): Promise<Uint8Array> {
    return (await this.sourceFor(repo)).readBlob(repo, blobSha);
  }

  async describeRepository(repo: RepoCoordinates): Promise<RepositoryDescription> {
    return (await this.sourceFor(repo)).describeRepository(repo);
  }

  private async sourceFor(repo: RepoCoordinates): Promise<GithubManifestSource> {
    const token = this.credentials ? await this.credentials.tokenFor(repo) : null;
    if (!token) return this.fallback;
    let source = this.byToken.get(token);
    if (!source) {
      source = new GithubManifestSource({ ...this.options, token });
      this.byToken.set(token, source);
    }
    return source;
  }
}
