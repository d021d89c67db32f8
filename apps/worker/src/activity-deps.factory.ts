import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps, ScanLimits } from '@repoguard/activities';
import {
  AesGcmSecretBox,
  MikroOrmSecretStore,
  OrgCredentialsGithubSource,
  SecretStoreGithubCredentials,
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
      settings.encryption
        ? new SecretStoreGithubCredentials(
            new MikroOrmSecretStore(
              em,
              AesGcmSecretBox.fromConfig(settings.encryption.key, settings.encryption.oldKeys),
            ),
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
