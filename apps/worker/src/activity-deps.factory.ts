import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps, ScanLimits } from '@repoguard/activities';
import {
  AesGcmSecretBox,
  MikroOrmSecretStore,
  OrgCredentialsGithubSource,
  RepositoryGithubCredentials,
  GithubAppInstallationTokens,
  MikroOrmFindingRepository,
  MikroOrmManifestBlobStore,
  MikroOrmPolicyRepository,
  MikroOrmScanRepository,
  MikroOrmSnapshotRepository,
  MikroOrmSystemProbe,
  MikroOrmVulnerabilityCache,
  OsvApiVulnerabilityDatabase,
} from '@repoguard/infrastructure';

export interface IntegrationSettings {
  readonly workerIdentity: string;
  readonly githubApiUrl: string;
  readonly githubToken?: string;
  readonly osvApiUrl: string;
  readonly timeoutMs: number;
  readonly limits?: ScanLimits;
  /** REPOGUARD_ENCRYPTION_KEY(S_OLD): without them, orgs' stored GitHub tokens are not used. */
  readonly encryption?: { readonly key: string; readonly oldKeys?: string };
  /** GITHUB_APP_ID and its key: repositories connected through an installation read with its tokens. */
  readonly githubApp?: { readonly appId: number; readonly privateKey: string };
}

/** The composition root of the activities: each port bound to its adapter. */
export function buildActivityDeps(em: EntityManager, settings: IntegrationSettings): ActivityDeps {
  return {
    workerIdentity: settings.workerIdentity,
    systemProbe: new MikroOrmSystemProbe(em),
    manifestSource: new OrgCredentialsGithubSource(
      {
        baseUrl: settings.githubApiUrl,
        ...(settings.githubToken ? { token: settings.githubToken } : {}),
        timeoutMs: settings.timeoutMs,
      },
      settings.encryption || settings.githubApp
        ? new RepositoryGithubCredentials(
            em,
            settings.encryption
              ? new MikroOrmSecretStore(
                  em,
                  AesGcmSecretBox.fromConfig(settings.encryption.key, settings.encryption.oldKeys),
                )
              : null,
            settings.githubApp
              ? new GithubAppInstallationTokens({
                  ...settings.githubApp,
                  baseUrl: settings.githubApiUrl,
                  timeoutMs: settings.timeoutMs,
                })
              : null,
          )
        : null,
    ),
    vulnerabilityDatabase: new OsvApiVulnerabilityDatabase({
      baseUrl: settings.osvApiUrl,
      timeoutMs: settings.timeoutMs,
    }),
    blobStore: new MikroOrmManifestBlobStore(em),
    snapshots: new MikroOrmSnapshotRepository(em),
    vulnerabilityCache: new MikroOrmVulnerabilityCache(em),
    findings: new MikroOrmFindingRepository(em),
    policies: new MikroOrmPolicyRepository(em),
    scans: new MikroOrmScanRepository(em),
    ...(settings.limits ? { limits: settings.limits } : {}),
  };
}
