/** A repository an installation grants the app, as GitHub lists it. */
export interface GrantedRepository {
  readonly githubId: string;
  readonly fullName: string;
  readonly private: boolean;
  readonly defaultBranch: string | null;
}

/**
 * What the GitHub App knows of its installations. Refuses with GITHUB_APP_NOT_CONFIGURED when the
 * instance has no app; GITHUB_INSTALLATION_NOT_FOUND for an id that is not an installation of it.
 */
export interface GithubAppDirectory {
  describeInstallation(
    installationId: string,
  ): Promise<{ id: string; accountLogin: string; accountType: string }>;
  /** GitHub's pages, numbered from 1. */
  installationRepositories(
    installationId: string,
    page: number,
    perPage: number,
  ): Promise<{ repositories: GrantedRepository[]; total: number }>;
}
