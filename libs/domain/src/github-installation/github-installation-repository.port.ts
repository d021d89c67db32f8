/** A GitHub App installation linked to an org. */
export interface LinkedGithubInstallation {
  readonly installationId: string;
  readonly orgId: string;
  readonly accountLogin: string;
  readonly accountType: string;
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
}

export type NewGithubInstallation = Pick<
  LinkedGithubInstallation,
  'installationId' | 'orgId' | 'accountLogin' | 'accountType'
>;

/** One installation belongs to one org at most: linking it twice fails as a unique violation. */
export interface GithubInstallationRepository {
  /** The org's installation with this id, unless it was revoked. */
  findLinked(orgId: string, installationId: string): Promise<LinkedGithubInstallation | null>;
  /** The org's installations (revoked ones too), oldest first. */
  list(orgId: string): Promise<LinkedGithubInstallation[]>;
  add(installation: NewGithubInstallation): LinkedGithubInstallation;
  /** Any org's installation with this id, revoked or not (a webhook names it, not the org). */
  get(installationId: string): Promise<LinkedGithubInstallation | null>;
  /** Revoked (uninstalled, suspended) at `at`, or usable again with null. */
  setRevoked(installationId: string, at: Date | null): Promise<void>;
  /** Unlinks all of the org's installations (another org may link them then); their ids. */
  unlinkAll(orgId: string): Promise<string[]>;
}
