/** A repository as the source hosting it names it. */
export interface RepoCoordinates {
  readonly owner: string;
  readonly name: string;
  /** The org asking: its own GitHub credentials are used for it when it has some. */
  readonly orgId?: string;
  /** The connected repository, whose GitHub App installation (if any) grants access. */
  readonly repoId?: string;
  /** A GitHub App installation to read it through (before it is connected, it has no repoId yet). */
  readonly installationId?: string;
  /** Set for repositories connected by git URL instead of through GitHub's API. */
  readonly gitUrl?: string;
}

export interface ResolvedCommit {
  readonly sha: string;
  /** The ref that was resolved: the one asked for, or the default branch. */
  readonly ref: string;
}

export interface TreeBlob {
  /** Path from the repository root, `/`-separated. */
  readonly path: string;
  /** Git blob SHA: content-addressed, so unchanged files are recognised across commits and repos. */
  readonly sha: string;
  readonly size: number;
}

/**
 * Where manifests come from (GitHub's API, or any git remote through the git CLI). Adapters raise DomainErrors:
 * `not_found` REPO_NOT_FOUND / REF_NOT_FOUND for permanent misses, `unavailable`
 * INTEGRATION_UNAVAILABLE (with `retryAfterMs` when the source said so) for what a retry may fix.
 */
export interface ManifestSource {
  resolveCommit(repo: RepoCoordinates, ref?: string): Promise<ResolvedCommit>;
  /** The commit's blobs, recursively: every one, or at least every manifest candidate. */
  listTree(repo: RepoCoordinates, commitSha: string): Promise<TreeBlob[]>;
  /** A blob's raw bytes. */
  readBlob(repo: RepoCoordinates, blobSha: string): Promise<Uint8Array>;
}

export interface RepositoryDescription {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  /** The provider's immutable id, when it has one. */
  readonly externalId: string | null;
}

/** Tells whether a repository exists at the provider, before anyone connects it. */
export interface RepositoryDirectory {
  /** Throws NotFoundError REPO_NOT_FOUND when the provider does not show it. */
  describeRepository(repo: RepoCoordinates): Promise<RepositoryDescription>;
}

/**
 * The GitHub token to read a repository with, when the instance's own access is not the one to
 * use: its GitHub App installation's token, or its org's stored token.
 */
export interface GithubCredentials {
  tokenFor(repo: RepoCoordinates): Promise<string | null>;
}
