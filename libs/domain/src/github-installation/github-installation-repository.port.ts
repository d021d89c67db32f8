/** A GitHub App installation linked to an org. */
export interface LinkedGithubInstallation {
  readonly installationId: string;
  readonly orgId: string;
  readonly accountLogin: string;
  readonly accountType: string;
  readonly createdAt: Date;
}

export interface GithubInstallationRepository {
  /** The org's installation with this id, unless it was revoked. */
  findLinked(orgId: string, installationId: string): Promise<LinkedGithubInstallation | null>;
}
