import {
  ValidationError,
  type GithubCredentials,
  type GithubTokenSource,
  type RepoCoordinates,
} from '@repoguard/domain';
import { SecretDecryptionError } from '../../crypto/secret-box';
import type { GithubAppInstallationTokens } from '../../github/github-app-installation-tokens';
import type { MikroOrmSecretStore } from './mikro-orm-secret-store';

/** A token of the repository's own: GitHub Apps may write check runs, other tokens statuses only. */
export interface RepositoryCredential {
  readonly via: 'installation' | 'org_token';
  readonly token: () => Promise<string>;
}

/**
 * Which token reads a repository: its GitHub App installation's (when it came in through one and
 * the app is configured), else its org's stored token (kept sealed in stored_secrets), else none.
 * The installation comes with the coordinates: whoever knows the repository row (the routing
 * source, which reads it once per scan step) puts it there.
 */
export class RepositoryGithubCredentials implements GithubCredentials {
  constructor(
    private readonly secrets: MikroOrmSecretStore | null,
    private readonly app: GithubAppInstallationTokens | null,
  ) {}

  async tokenSourceFor(repo: RepoCoordinates): Promise<GithubTokenSource> {
    const credential = await this.credentialFor(repo);
    return credential ? credential.token : () => Promise.resolve(null);
  }

  /** The repository's own credential and what it is: its installation's token, else its org's token. */
  async credentialFor(repo: RepoCoordinates): Promise<RepositoryCredential | null> {
    const { app } = this;
    const installationId = repo.installationId;
    // Asked per request: the issuer caches it in memory and renews it before it expires.
    if (installationId && app) return { via: 'installation', token: () => app.tokenFor(installationId) };
    const token = await this.orgToken(repo);
    return token === null ? null : { via: 'org_token', token: () => Promise.resolve(token) };
  }

  private async orgToken(repo: RepoCoordinates): Promise<string | null> {
    if (!repo.orgId || !this.secrets) return null;
    try {
      return await this.secrets.get(repo.orgId, 'github_token', null);
    } catch (error) {
      // A retry cannot fix a key that is missing or a tampered row: fail the scan, say what to do.
      if (error instanceof SecretDecryptionError) {
        throw new ValidationError(
          "The org's GitHub token cannot be decrypted: set it again, or add its key to REPOGUARD_ENCRYPTION_KEYS_OLD",
          [{ field: 'github_token', problem: 'cannot be decrypted with the configured keys' }],
          'GITHUB_TOKEN_UNREADABLE',
        );
      }
      throw error;
    }
  }
}
