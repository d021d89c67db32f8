/** A GitHub App installation an organisation linked. */
export interface GithubInstallationRecord {
  readonly installationId: string;
  readonly orgId: string;
  readonly revokedAt: Date | null;
}

/** Linked GitHub App installations. */
export interface GithubInstallationRepository {
  get(installationId: string): Promise<GithubInstallationRecord | null>;
  /** Revoked (uninstalled, suspended) at `at`, or usable again with null. */
  setRevoked(installationId: string, at: Date | null): Promise<void>;
}
