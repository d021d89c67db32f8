import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { IntegrationUnavailableError, isObject, ValidationError } from '@repoguard/domain';

export interface GithubAppOptions {
  readonly appId: number;
  readonly privateKey: string;
  readonly baseUrl: string;
  readonly timeoutMs?: number;
  /** A token this close to its expiry is replaced before use. Default one minute. */
  readonly refreshMarginMs?: number;
  readonly now?: () => number;
  /** Sends every request; default the global fetch (the apps pass an instrumented one). */
  readonly fetch?: typeof fetch;
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
  private readonly octokit: Octokit;
  private readonly cache = new Map<string, Promise<CachedToken>>();
  private readonly margin: number;
  private readonly now: () => number;

  constructor(options: GithubAppOptions) {
    this.margin = options.refreshMarginMs ?? 60_000;
    this.now = options.now ?? Date.now;
    const octokit = (this.octokit = new Octokit({
      baseUrl: options.baseUrl.replace(/(?<!\/)\/+$/, ''),
      userAgent: 'repoguard',
      request: { fetch: withDeadline(options.fetch, options.timeoutMs ?? 30_000) },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    }));
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

  /** The installation as GitHub describes it to the app, or GITHUB_INSTALLATION_NOT_FOUND. */
  async describeInstallation(
    installationId: string,
  ): Promise<{ id: string; accountLogin: string; accountType: string }> {
    try {
      const { data } = await this.octokit.request('GET /app/installations/{installation_id}', {
        installation_id: Number(installationId),
        headers: { authorization: `bearer ${(await this.auth({ type: 'app' })).token}` },
      });
      const account: Record<string, unknown> = isObject(data.account) ? data.account : {};
      return {
        id: String(data.id),
        accountLogin: typeof account['login'] === 'string' ? account['login'] : '',
        accountType: typeof account['type'] === 'string' ? account['type'] : 'Organization',
      };
    } catch (error) {
      const status = isObject(error) && typeof error['status'] === 'number' ? error['status'] : undefined;
      if (status === 404) {
        throw new ValidationError(
          `GitHub App installation ${installationId} does not exist (or is not an installation of this app)`,
          [{ field: 'installation_id', problem: 'is not an installation of this GitHub App' }],
          'GITHUB_INSTALLATION_NOT_FOUND',
        );
      }
      throw new IntegrationUnavailableError(
        'github',
        status === 401 ? 'auth' : 'other',
        `GitHub did not describe installation ${installationId}${status ? ` (${status})` : ''}`,
      );
    }
  }

  /** Repositories the installation grants, a page at a time (GitHub's page numbers). */
  async installationRepositories(
    installationId: string,
    page: number,
    perPage = 100,
  ): Promise<{ repositories: Record<string, unknown>[]; total: number }> {
    const token = await this.tokenFor(installationId);
    const { data } = await this.octokit.request('GET /installation/repositories', {
      per_page: perPage,
      page,
      headers: { authorization: `token ${token}` },
    });
    return {
      repositories: data.repositories as unknown as Record<string, unknown>[],
      total: data.total_count,
    };
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

/** @octokit/request 10 has no timeout option (it ignores `request.timeout`): each request gets its own. */
export function withDeadline(send: typeof fetch | undefined, timeoutMs: number): typeof fetch {
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return (send ?? fetch)(input, { ...init, signal });
  }) as typeof fetch;
}
