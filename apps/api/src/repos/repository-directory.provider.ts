import type { Provider } from '@nestjs/common';
import type { RepositoryDirectory } from '@repoguard/domain';
import { GithubManifestSource } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

export const REPOSITORY_DIRECTORY = Symbol('REPOSITORY_DIRECTORY');

/** GitHub's REST API (or the configured stand-in) answers whether a repository exists. */
export const repositoryDirectoryProvider: Provider = {
  provide: REPOSITORY_DIRECTORY,
  inject: [API_CONFIG],
  useFactory: (config: ApiConfig): RepositoryDirectory =>
    new GithubManifestSource({
      baseUrl: config.GITHUB_API_URL,
      ...(config.GITHUB_TOKEN ? { token: config.GITHUB_TOKEN } : {}),
      timeoutMs: config.INTEGRATION_TIMEOUT_MS,
    }),
};
