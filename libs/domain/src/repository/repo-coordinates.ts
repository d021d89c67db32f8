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

export interface RepositoryDescription {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  /** The provider's immutable id, when it has one. */
  readonly externalId: string | null;
}
