import type { Provider } from '@nestjs/common';
import { DomainError, type GithubAppDirectory } from '@repoguard/domain';
import type { GithubAppInstallationTokens } from '@repoguard/infrastructure';
import { GITHUB_APP } from './github-app.provider';

export const GITHUB_APP_DIRECTORY = Symbol('GITHUB_APP_DIRECTORY');

const notConfigured = () =>
  new DomainError(
    'unavailable',
    'GITHUB_APP_NOT_CONFIGURED',
    'Set GITHUB_APP_ID and its private key to use GitHub App installations',
  );

/** The GitHub App's view of its installations; every question refused when no app is configured. */
export const githubAppDirectoryProvider: Provider = {
  provide: GITHUB_APP_DIRECTORY,
  inject: [GITHUB_APP],
  useFactory: (app: GithubAppInstallationTokens | null): GithubAppDirectory => ({
    describeInstallation: (installationId) =>
      app ? app.describeInstallation(installationId) : Promise.reject(notConfigured()),
    installationRepositories: async (installationId, page, perPage) => {
      if (!app) throw notConfigured();
      const { repositories, total } = await app.installationRepositories(installationId, page, perPage);
      return {
        repositories: repositories.map((r) => ({
          githubId: String(r['id']),
          fullName: String(r['full_name']),
          private: r['private'] === true,
          defaultBranch: typeof r['default_branch'] === 'string' ? r['default_branch'] : null,
        })),
        total,
      };
    },
  }),
};
