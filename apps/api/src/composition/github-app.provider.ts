import type { Provider } from '@nestjs/common';
import {
  GITHUB_ANSWER_STATUSES,
  GithubAppInstallationTokens,
  githubAppPrivateKey,
  instrumentFetch,
} from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { ApiMetrics } from '@repoguard/infrastructure';

export const GITHUB_APP = Symbol('GITHUB_APP');

/** The GitHub App's installation tokens; null when the app is not configured. */
export const githubAppProvider: Provider = {
  provide: GITHUB_APP,
  inject: [API_CONFIG, ApiMetrics],
  useFactory: (config: ApiConfig, metrics: ApiMetrics): GithubAppInstallationTokens | null =>
    config.GITHUB_APP_ID
      ? new GithubAppInstallationTokens({
          appId: config.GITHUB_APP_ID,
          privateKey: githubAppPrivateKey(config)!,
          baseUrl: config.GITHUB_API_URL,
          timeoutMs: config.INTEGRATION_TIMEOUT_MS,
          fetch: instrumentFetch('github', metrics.integrations, fetch, { answers: GITHUB_ANSWER_STATUSES }),
        })
      : null,
};
