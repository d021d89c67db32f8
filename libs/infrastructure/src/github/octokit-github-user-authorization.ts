import { deleteToken, exchangeWebFlowCode, getWebFlowAuthorizationUrl } from '@octokit/oauth-methods';
import { Octokit } from '@octokit/rest';
import {
  IntegrationUnavailableError,
  isObject,
  ValidationError,
  type AccessibleInstallation,
  type GithubLinkUrls,
  type GithubUserAuthorization,
} from '@repoguard/domain';
import { withDeadline } from './github-app-installation-tokens';

export interface GithubUserAuthorizationOptions {
  /** The GitHub App's OAuth client (its settings page: "Client ID", "Client secrets"). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The app's URL name: `{webUrl}/apps/{slug}`. */
  readonly appSlug: string;
  /** GitHub's web site (https://github.com, or a GitHub Enterprise host): OAuth lives there. */
  readonly webUrl: string;
  /** GitHub's REST API: the user's installations are listed there. */
  readonly apiUrl: string;
  /** The app's callback URL, registered with GitHub: this API's setup route. */
  readonly redirectUrl: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

// GET /user/installations pages hold at most 100; a user who can reach more than this many
// installations of one app is not one we wait for page by page.
const PER_PAGE = 100;
const MAX_PAGES = 20;

/**
 * GitHub's web application flow for the app's users (@octokit/oauth-methods): the code from the
 * setup URL is exchanged for a user access token, which lists the installations that user can
 * access (`GET /user/installations`). The token lives for this call only: it is revoked before the
 * answer and never stored or logged.
 */
export class OctokitGithubUserAuthorization implements GithubUserAuthorization {
  private readonly api: Octokit;
  private readonly web: Octokit['request'];

  constructor(private readonly options: GithubUserAuthorizationOptions) {
    this.api = this.client();
    this.web = this.api.request.defaults({ baseUrl: options.webUrl.replace(/(?<!\/)\/+$/, '') });
  }

  /** The app's own client, or one acting as the user whose token it is given. */
  private client(userToken?: string): Octokit {
    return new Octokit({
      baseUrl: this.options.apiUrl.replace(/(?<!\/)\/+$/, ''),
      userAgent: 'repoguard',
      request: { fetch: withDeadline(this.options.fetch, this.options.timeoutMs ?? 30_000) },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      ...(userToken !== undefined ? { auth: userToken } : {}),
    });
  }

  linkUrls(state: string): GithubLinkUrls {
    const web = this.options.webUrl.replace(/(?<!\/)\/+$/, '');
    const query = new URLSearchParams({ state });
    return {
      installUrl: `${web}/apps/${encodeURIComponent(this.options.appSlug)}/installations/new?${query}`,
      authorizeUrl: getWebFlowAuthorizationUrl({
        clientType: 'github-app',
        clientId: this.options.clientId,
        redirectUrl: this.options.redirectUrl,
        state,
        request: this.web,
      }).url,
    };
  }

  async findAccessibleInstallation(
    code: string,
    installationId: string,
  ): Promise<{ githubLogin: string; installation: AccessibleInstallation | null }> {
    const token = await this.exchange(code);
    try {
      const asUser = this.client(token);
      const { data: user } = await asUser.request('GET /user');
      let pages = 0;
      for await (const { data } of asUser.paginate.iterator('GET /user/installations', {
        per_page: PER_PAGE,
      })) {
        const found = data.find((installation) => String(installation.id) === installationId);
        if (found) return { githubLogin: user.login, installation: describe(found) };
        if (++pages >= MAX_PAGES) break;
      }
      return { githubLogin: user.login, installation: null };
    } catch (error) {
      if (error instanceof IntegrationUnavailableError) throw error;
      throw unavailable('list the installations of the GitHub user', error);
    } finally {
      await this.revoke(token);
    }
  }

  private async exchange(code: string): Promise<string> {
    try {
      const { authentication } = await exchangeWebFlowCode({
        clientType: 'github-app',
        clientId: this.options.clientId,
        clientSecret: this.options.clientSecret,
        code,
        redirectUrl: this.options.redirectUrl,
        request: this.web,
      });
      return authentication.token;
    } catch (error) {
      // GitHub answers a bad, used or expired code with 200 and `error`; oauth-methods makes that a 400.
      if (statusOf(error) === 400) {
        throw new ValidationError(
          'GitHub did not accept the authorization code: start linking again',
          [{ field: 'code', problem: 'is not a valid, unused GitHub authorization code' }],
          'GITHUB_OAUTH_CODE_INVALID',
        );
      }
      throw unavailable('exchange the authorization code', error);
    }
  }

  /** Best effort: the token expires on its own; a failed revocation must not undo a proof that held. */
  private async revoke(token: string): Promise<void> {
    try {
      await deleteToken({
        clientType: 'github-app',
        clientId: this.options.clientId,
        clientSecret: this.options.clientSecret,
        token,
        request: this.api.request,
      });
    } catch {
      // Nothing to do: the token was never stored and GitHub expires it after eight hours.
    }
  }
}

function describe(installation: { id: number; account?: unknown }): AccessibleInstallation {
  const account: Record<string, unknown> = isObject(installation.account) ? installation.account : {};
  return {
    id: String(installation.id),
    accountLogin: typeof account['login'] === 'string' ? account['login'] : '',
    accountType: typeof account['type'] === 'string' ? account['type'] : 'Organization',
  };
}

function statusOf(error: unknown): number | undefined {
  return isObject(error) && typeof error['status'] === 'number' ? error['status'] : undefined;
}

function unavailable(what: string, error: unknown): IntegrationUnavailableError {
  const status = statusOf(error);
  return new IntegrationUnavailableError(
    'github',
    status === undefined ? 'network' : status === 401 ? 'auth' : status >= 500 ? '5xx' : 'other',
    `GitHub did not let RepoGuard ${what}${status ? ` (${status})` : ''}`,
  );
}
