import type { Provider } from '@nestjs/common';
import { DomainError, type GithubUserAuthorization } from '@repoguard/domain';
import {
  ApiMetrics,
  GITHUB_ANSWER_STATUSES,
  instrumentFetch,
  OctokitGithubUserAuthorization,
} from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

export const GITHUB_USER_AUTHORIZATION = Symbol('GITHUB_USER_AUTHORIZATION');

/**
 * Where GitHub sends the person back (GithubSetupController): the app's Setup URL and Callback URL
 * are both PUBLIC_BASE_URL + this. The global prefix is written out: importing it would be circular.
 */
export const GITHUB_SETUP_URL_PATH = '/api/v1/github/setup';

const notConfigured = () =>
  new DomainError(
    'unavailable',
    'GITHUB_APP_NOT_CONFIGURED',
    'Set GITHUB_APP_CLIENT_ID, GITHUB_APP_CLIENT_SECRET and GITHUB_APP_SLUG to link GitHub App installations',
  );

/** GitHub's web flow for the app's users; every step refused when the app has no OAuth client. */
export const githubUserAuthorizationProvider: Provider = {
  provide: GITHUB_USER_AUTHORIZATION,
  inject: [API_CONFIG, ApiMetrics],
  useFactory: (config: ApiConfig, metrics: ApiMetrics): GithubUserAuthorization => {
    const { GITHUB_APP_CLIENT_ID, GITHUB_APP_CLIENT_SECRET, GITHUB_APP_SLUG, PUBLIC_BASE_URL } = config;
    if (!GITHUB_APP_CLIENT_ID || !GITHUB_APP_CLIENT_SECRET || !GITHUB_APP_SLUG || !PUBLIC_BASE_URL) {
      return {
        linkUrls: () => {
          throw notConfigured();
        },
        findAccessibleInstallation: () => Promise.reject(notConfigured()),
      };
    }
    return new OctokitGithubUserAuthorization({
      clientId: GITHUB_APP_CLIENT_ID,
      clientSecret: GITHUB_APP_CLIENT_SECRET,
      appSlug: GITHUB_APP_SLUG,
      webUrl: config.GITHUB_WEB_URL,
      apiUrl: config.GITHUB_API_URL,
      redirectUrl: `${PUBLIC_BASE_URL.replace(/(?<!\/)\/+$/, '')}${GITHUB_SETUP_URL_PATH}`,
      timeoutMs: config.INTEGRATION_TIMEOUT_MS,
      fetch: instrumentFetch('github', metrics.integrations, fetch, { answers: GITHUB_ANSWER_STATUSES }),
    });
  },
};
