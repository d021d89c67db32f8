import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { IntegrationUnavailableError, ValidationError } from '@repoguard/domain';
import { isObject } from '../shared/values';

export interface GithubAppOptions {
  readonly appId: number;
  readonly privateKey: string;
  readonly baseUrl: string;
  readonly timeoutMs?: number;
  /** A token this close to its expiry is replaced before use. Default one minute. */
  readonly refreshMarginMs?: number;
  readonly now?: () => number;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * Installation access tokens of the GitHub App (@octokit/auth-app signs the app's JWT): short-lived,
 * kept in memory only until shortly before they expire, never persisted and never logged. A
 * deleted installation is GITHUB_INSTALLATION_REVOKED, which no retry can fix.
 */
export class GithubAppInstallationTokens {
  private readonly auth: ReturnType<typeof createAppAuth>;
  private readonly cache = new Map<string, Promise<CachedToken>>();
  private readonly margin: number;
  private readonly now: () => number;

  constructor(options: GithubAppOptions) {
    this.margin = options.refreshMarginMs ?? 60_000;
    this.now = options.now ?? Date.now;
    const octokit = new Octokit({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      userAgent: 'repoguard',
      request: { timeout: options.timeoutMs ?? 30_000 },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    this.auth = createAppAuth({
      appId: options.appId,
      privateKey: options.privateKey,
      request: octokit.request,
    });
  }

  async tokenFor(installationId: string): Promise<string> {
    const cached = this.cache.get(installationId);
    if (cached) {
      const token = await cached.catch(() => null);
      if (token && token.expiresAt - this.now() > this.margin) return token.token;
    }
    const issuing = this.issue(installationId);
    this.cache.set(installationId, issuing);
    try {
      return (await issuing).token;
    } catch (error) {
      this.cache.delete(installationId);
      throw error;
    }
  }

  /** Forgets an installation's token, e.g. when GitHub says the installation is gone. */
  forget(installationId: string): void {
    this.cache.delete(installationId);
  }

  private async issue(installationId: string): Promise<CachedToken> {
    try {
      // refresh: auth-app keeps its own cache for an hour; ours follows the token's real expiry.
      const result = await this.auth({
        type: 'installation',
        installationId: Number(installationId),
        refresh: true,
      });
      return { token: result.token, expiresAt: Date.parse(result.expiresAt) };
    } catch (error) {
      const status = isObject(error) && typeof error['status'] === 'number' ? error['status'] : undefined;
      if (status === 404 || status === 403) {
        throw new ValidationError(
          `The GitHub App installation ${installationId} was removed or suspended: reinstall the app or reconnect the repository`,
          [{ field: 'installation_id', problem: 'is no longer installed' }],
          'GITHUB_INSTALLATION_REVOKED',
        );
      }
      if (status === 401) {
        throw new IntegrationUnavailableError(
          'github',
          'auth',
          'GitHub refused the app credentials (check GITHUB_APP_ID and its key)',
        );
      }
      throw new IntegrationUnavailableError(
        'github',
        status !== undefined && status >= 500 ? '5xx' : 'network',
        `Could not get a token for GitHub App installation ${installationId}${status ? ` (${status})` : ''}`,
      );
    }
  }
}
