import type { Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { GitLoginDirectory, RepositoryDirectory } from '@repoguard/domain';
import {
  type AesGcmSecretBox,
  encryptionNotConfigured,
  givenGitCredentials,
  GITHUB_ANSWER_STATUSES,
  type GithubAppInstallationTokens,
  GitCliManifestSource,
  gitSettings,
  instrumentFetch,
  MikroOrmManifestBlobStore,
  MikroOrmSecretStore,
  OrgCredentialsGithubSource,
  ProviderRoutingManifestSource,
  RepositoryGithubCredentials,
  StoredOrgSshKeys,
  StoredSbomManifestSource,
} from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { GITHUB_APP } from './github-app.provider';
import { ApiMetrics } from '@repoguard/infrastructure';
import { SECRET_BOX } from './secret-box.provider';

export const REPOSITORY_DIRECTORY = Symbol('REPOSITORY_DIRECTORY');
export const GIT_LOGIN_DIRECTORY = Symbol('GIT_LOGIN_DIRECTORY');

/**
 * GitHub's REST API (or the configured stand-in), with the org's own token when it stored one; a
 * repository given by git URL is checked with the git CLI instead.
 */
export const repositoryDirectoryProvider: Provider = {
  provide: REPOSITORY_DIRECTORY,
  inject: [API_CONFIG, EntityManager, SECRET_BOX, GITHUB_APP, ApiMetrics],
  useFactory: (
    config: ApiConfig,
    em: EntityManager,
    box: AesGcmSecretBox | null,
    app: GithubAppInstallationTokens | null,
    metrics: ApiMetrics,
  ): RepositoryDirectory =>
    new ProviderRoutingManifestSource(
      githubDirectory(config, em, box, app, metrics),
      new GitCliManifestSource({ ...gitSettings(config), orgSshKeys: orgSshKeys(em, box) }),
      new StoredSbomManifestSource(em, new MikroOrmManifestBlobStore(em)),
      em,
    ),
};

/** The git CLI with the login given at connect; refused at once when it could not be kept sealed. */
export const gitLoginDirectoryProvider: Provider = {
  provide: GIT_LOGIN_DIRECTORY,
  inject: [API_CONFIG, EntityManager, SECRET_BOX],
  useFactory: (config: ApiConfig, em: EntityManager, box: AesGcmSecretBox | null): GitLoginDirectory => ({
    withLogin: (login) => {
      if (!box) throw encryptionNotConfigured();
      return new GitCliManifestSource({
        ...gitSettings(config),
        orgSshKeys: orgSshKeys(em, box),
        credentials: givenGitCredentials(login),
      });
    },
  }),
};

/** ssh:// remotes: the org's own deploy key, or the instance key where the operator lends it. */
function orgSshKeys(em: EntityManager, box: AesGcmSecretBox | null): StoredOrgSshKeys {
  return new StoredOrgSshKeys(em, box ? new MikroOrmSecretStore(em, box) : null);
}

function githubDirectory(
  config: ApiConfig,
  em: EntityManager,
  box: AesGcmSecretBox | null,
  app: GithubAppInstallationTokens | null,
  metrics: ApiMetrics,
): OrgCredentialsGithubSource {
  return new OrgCredentialsGithubSource(
    {
      baseUrl: config.GITHUB_API_URL,
      ...(config.GITHUB_TOKEN ? { token: config.GITHUB_TOKEN } : {}),
      timeoutMs: config.INTEGRATION_TIMEOUT_MS,
      fetch: instrumentFetch('github', metrics.integrations, fetch, { answers: GITHUB_ANSWER_STATUSES }),
    },
    box || app ? new RepositoryGithubCredentials(box ? new MikroOrmSecretStore(em, box) : null, app) : null,
  );
}
