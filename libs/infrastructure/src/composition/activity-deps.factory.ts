import * as os from 'node:os';
import * as path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM_CLOCK, type ManifestParserPool, type PullRequestCheckPublisher } from '@repoguard/domain';
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import {
  DEFAULT_RELAY_SETTINGS,
  ExpireTriage,
  ReevaluateRepositoryStatus,
  RelayScanRequests,
  RequestScan,
} from '@repoguard/application';
import { DEFAULT_SCAN_TASK_QUEUE } from '@repoguard/contract';
import type { ActivityDeps, ScanLimits } from '@repoguard/activities';
import { AesGcmSecretBox } from '../crypto/secret-box';
import { IpaddrOutboundAddressPolicy } from '../network/ipaddr-outbound-address-policy';
import {
  createNotificationSender,
  type NotificationSenderSettings,
} from '../notifications/channel-notification-sender';
import { MikroOrmNotificationChannelDirectory } from '../persistence/stores/mikro-orm-notification-channel-directory';
import { GitCliManifestSource, type GitCliManifestSourceOptions } from '../git/git-cli-manifest-source';
import { ProviderRoutingManifestSource } from '../git/provider-routing-manifest-source';
import { StoredGitCredentials } from '../git/stored-git-credentials';
import { StoredOrgSshKeys } from '../git/stored-org-ssh-keys';
import { StoredSbomManifestSource } from '../sbom/stored-sbom-manifest-source';
import { GithubAppInstallationTokens } from '../github/github-app-installation-tokens';
import { OrgCredentialsGithubSource } from '../github/org-credentials-github-source';
import {
  GithubPullRequestCheckPublisher,
  type CheckCredentials,
} from '../github/github-pull-request-check-publisher';
import { RepositoryEntity } from '../persistence/entities';
import { GITHUB_ANSWER_STATUSES, instrumentFetch } from '../observability/instrument-fetch';
import type { IntegrationMetrics } from '../observability/integration-metrics';
import {
  OsvExportImporter,
  SqlAdvisorySyncRuns,
  SqlRematchTargetFinder,
} from '../osv/advisory-sync.adapters';
import type { OsvExportLimits } from '../osv/osv-export-limits';
import { MirrorVulnerabilityDatabase } from '../osv/mirror-vulnerability-database';
import { OsvApiVulnerabilityDatabase } from '../osv/osv-api-vulnerability-database';
import { PostgresAdvisoryMirror } from '../osv/postgres-advisory-mirror';
import { MikroOrmFindingRepository } from '../persistence/repositories/mikro-orm-finding-repository';
import { MikroOrmOpenFindingHistory } from '../persistence/stores/mikro-orm-open-finding-history';
import { MikroOrmManifestBlobStore } from '../persistence/repositories/mikro-orm-manifest-blob-store';
import { MikroOrmPolicyRepository } from '../persistence/repositories/mikro-orm-policy-repository';
import { MikroOrmScanRepository } from '../persistence/repositories/mikro-orm-scan-repository';
import { MikroOrmSecretStore } from '../persistence/repositories/mikro-orm-secret-store';
import { MikroOrmSnapshotRepository } from '../persistence/repositories/mikro-orm-snapshot-repository';
import { MikroOrmSystemProbe } from '../persistence/repositories/mikro-orm-system-probe';
import { MikroOrmVulnerabilityCache } from '../persistence/repositories/mikro-orm-vulnerability-cache';
import { RepositoryGithubCredentials } from '../persistence/repositories/repository-github-credentials';
import { MikroOrmNotificationDeliveryAttempts } from '../persistence/stores/mikro-orm-notification-delivery-attempts';
import { MikroOrmUnitOfWork } from '../persistence/stores/mikro-orm-unit-of-work';
import { SqlServedScanRequests } from '../persistence/stores/sql-served-scan-requests';
import { MikroOrmPullRequestCheckRepository } from '../persistence/stores/mikro-orm-pull-request-check-repository';
import { MikroOrmRiskAcceptanceRepository } from '../persistence/stores/mikro-orm-risk-acceptance-repository';
import { TemporalScanRequester } from '../temporal/temporal-scan-requester';
import { SqlNotificationDigests } from '../notifications/sql-notification-digests';
import { SqlRescanTargets } from '../notifications/sql-rescan-targets';

export interface IntegrationSettings {
  readonly workerIdentity: string;
  readonly githubApiUrl: string;
  readonly githubToken?: string;
  readonly osvApiUrl: string;
  /** mirror: advisories come from PostgreSQL, matched in memory; OSV is never called. */
  readonly osvMode?: 'api' | 'mirror';
  /** Mirror mode: how long a checked advisory cache is trusted; default DEFAULT_MIRROR_REFRESH_CHECK_MS. */
  readonly osvMirrorRefreshCheckMs?: number;
  /** Mirror mode: bytes of advisories held between scans; default DEFAULT_MIRROR_CACHE_BYTES. */
  readonly osvMirrorCacheBytes?: number;
  readonly log?: (message: string) => void;
  readonly timeoutMs: number;
  readonly limits?: ScanLimits;
  /** REPOGUARD_ENCRYPTION_KEY(S_OLD): without them, orgs' stored GitHub tokens are not used. */
  readonly encryption?: { readonly key: string; readonly oldKeys?: string };
  /** GITHUB_APP_ID and its key: repositories connected through an installation read with its tokens. */
  readonly githubApp?: { readonly appId: number; readonly privateKey: string };
  /** Counts and times every GitHub and OSV request; without it they go out uncounted (tests). */
  readonly metrics?: IntegrationMetrics;
  /** Repositories connected by git URL (see gitSettings); default: a cache in the temp dir, no file://. */
  readonly git?: GitCliManifestSourceOptions;
  /** Caps and allowed schemes of advisory exports the sync reads; default DEFAULT_OSV_EXPORT_LIMITS. */
  readonly osvExportLimits?: OsvExportLimits;
  /** The manifest parser pool (PiscinaManifestParserPool); its owner closes it at shutdown. */
  readonly parserPool: ManifestParserPool;
  /**
   * Re-match requests a sync's page keeps open (asked for, not yet served) before it asks for more;
   * 0 or absent: it asks for all of them at once.
   */
  readonly rematchOpenLimit?: number;
  /**
   * Where notification senders may connect and the operator's SMTP server
   * (`notificationSettings(config)`); unset: public addresses only, https only, no operator SMTP.
   */
  readonly notifications?: NotificationSenderSettings;
  /** The API's public base URL, for links in notification messages. */
  readonly publicBaseUrl?: string;
  /** Where pull-request checks are published (tests hand a recording one). */
  readonly pullRequestCheckPublisher?: PullRequestCheckPublisher;
}

/** The composition root of the activities: each port bound to its adapter. */
export function buildActivityDeps(em: EntityManager, settings: IntegrationSettings): ActivityDeps {
  const { metrics } = settings;
  const githubFetch = metrics
    ? { fetch: instrumentFetch('github', metrics, fetch, { answers: GITHUB_ANSWER_STATUSES }) }
    : {};
  const box = settings.encryption
    ? AesGcmSecretBox.fromConfig(settings.encryption.key, settings.encryption.oldKeys)
    : null;
  const secrets = box ? new MikroOrmSecretStore(em, box) : null;
  const credentials = repositoryCredentials(settings, githubFetch, secrets);
  return {
    workerIdentity: settings.workerIdentity,
    systemProbe: new MikroOrmSystemProbe(em),
    manifestSource: new ProviderRoutingManifestSource(
      githubSource(settings, githubFetch, credentials),
      new GitCliManifestSource({
        ...(settings.git ?? { cacheDir: path.join(os.tmpdir(), 'repoguard-git-cache') }),
        // https logins stored per repository (sealed); without the key, public remotes only.
        credentials: secrets ? new StoredGitCredentials(secrets) : null,
        // ssh:// with the org's own deploy key, or the instance key where the operator lends it.
        orgSshKeys: new StoredOrgSshKeys(em, secrets),
      }),
      new StoredSbomManifestSource(em, new MikroOrmManifestBlobStore(em)),
      em,
    ),
    vulnerabilityDatabase:
      settings.osvMode === 'mirror'
        ? new MirrorVulnerabilityDatabase(new PostgresAdvisoryMirror(em), {
            ...(settings.log ? { log: settings.log } : {}),
            ...(settings.osvMirrorRefreshCheckMs !== undefined
              ? { refreshCheckMs: settings.osvMirrorRefreshCheckMs }
              : {}),
            ...(settings.osvMirrorCacheBytes !== undefined
              ? { cacheBytes: settings.osvMirrorCacheBytes }
              : {}),
          })
        : new OsvApiVulnerabilityDatabase({
            baseUrl: settings.osvApiUrl,
            timeoutMs: settings.timeoutMs,
            ...(metrics ? { fetch: instrumentFetch('osv', metrics) } : {}),
          }),
    blobStore: new MikroOrmManifestBlobStore(em),
    parserPool: settings.parserPool,
    snapshots: new MikroOrmSnapshotRepository(em),
    vulnerabilityCache: new MikroOrmVulnerabilityCache(em),
    findings: new MikroOrmFindingRepository(em),
    openFindingHistory: new MikroOrmOpenFindingHistory(em),
    policies: new MikroOrmPolicyRepository(em),
    scans: new MikroOrmScanRepository(em),
    advisoryImporter: new OsvExportImporter(
      em,
      settings.osvExportLimits ? { limits: settings.osvExportLimits } : {},
    ),
    rematchTargets: new SqlRematchTargetFinder(em),
    syncRuns: new SqlAdvisorySyncRuns(em),
    requestScan: requestScanThroughActivityClient(em),
    ...(settings.rematchOpenLimit
      ? { rematchPacing: { served: new SqlServedScanRequests(em), limit: settings.rematchOpenLimit } }
      : {}),
    notificationDigests: new SqlNotificationDigests(em),
    rescanTargets: new SqlRescanTargets(em),
    expireTriage: expireTriage(em),
    notificationAttempts: new MikroOrmNotificationDeliveryAttempts(em),
    notificationSender: createNotificationSender(
      settings.notifications ?? {
        outbound: new IpaddrOutboundAddressPolicy({ allowedHosts: [] }),
        allowHttp: false,
      },
    ),
    // Without the encryption key no channel can have been stored: every delivery's channel is gone.
    notificationChannels: new MikroOrmNotificationChannelDirectory(em, box),
    notificationLinkBaseUrl: settings.publicBaseUrl ?? null,
    pullRequestChecks: new MikroOrmPullRequestCheckRepository(em),
    riskAcceptances: new MikroOrmRiskAcceptanceRepository(em),
    // Tests may hand in their own publisher; otherwise check runs through the App, else statuses.
    pullRequestCheckPublisher:
      settings.pullRequestCheckPublisher ??
      new GithubPullRequestCheckPublisher(
        { baseUrl: settings.githubApiUrl, timeoutMs: settings.timeoutMs, ...githubFetch },
        checkCredentials(em, credentials),
      ),
    checkDetailsBaseUrl: settings.publicBaseUrl ?? null,
    ...(settings.limits ? { limits: settings.limits } : {}),
  };
}

/**
 * Through the client of the activity asking; re-matches name their own task queue and timing. A
 * request Temporal does not take at once stays in the outbox, for the API's relay to send.
 */
function requestScanThroughActivityClient(em: EntityManager): RequestScan {
  const uow = new MikroOrmUnitOfWork(em);
  const requestTimeoutMs = 10_000;
  const requester = new TemporalScanRequester(
    () => Context.current().client,
    DEFAULT_SCAN_TASK_QUEUE,
    {},
    { requestTimeoutMs },
  );
  // A round's calls must all fit in the default lease: fewer of these longer ones per round.
  const batchSize = Math.floor(DEFAULT_RELAY_SETTINGS.leaseMs / requestTimeoutMs);
  const relay = new RelayScanRequests(uow, requester, {
    ...DEFAULT_RELAY_SETTINGS,
    batchSize,
    requestTimeoutMs,
    taskQueue: DEFAULT_SCAN_TASK_QUEUE,
  });
  return new RequestScan(uow, requester, relay, randomUUID);
}

/** The expiry timer's re-judging, on the worker's own units of work (as the API's sweep does it). */
function expireTriage(em: EntityManager): ExpireTriage {
  const uow = new MikroOrmUnitOfWork(em);
  return new ExpireTriage(uow, new ReevaluateRepositoryStatus(uow, SYSTEM_CLOCK, randomUUID), SYSTEM_CLOCK);
}

/** GitHub's API with the credentials each repository calls for (installation, org token, instance). */
function githubSource(
  settings: IntegrationSettings,
  githubFetch: { fetch?: typeof fetch },
  credentials: RepositoryGithubCredentials | null,
): OrgCredentialsGithubSource {
  return new OrgCredentialsGithubSource(
    {
      baseUrl: settings.githubApiUrl,
      ...(settings.githubToken ? { token: settings.githubToken } : {}),
      timeoutMs: settings.timeoutMs,
      ...githubFetch,
    },
    credentials,
  );
}

/** A repository's own GitHub credentials: its App installation's tokens, else its org's stored token. */
function repositoryCredentials(
  settings: IntegrationSettings,
  githubFetch: { fetch?: typeof fetch },
  secrets: MikroOrmSecretStore | null,
): RepositoryGithubCredentials | null {
  if (!secrets && !settings.githubApp) return null;
  return new RepositoryGithubCredentials(
    secrets,
    settings.githubApp
      ? new GithubAppInstallationTokens({
          ...settings.githubApp,
          baseUrl: settings.githubApiUrl,
          timeoutMs: settings.timeoutMs,
          ...githubFetch,
        })
      : null,
  );
}

/** Checks are published with the repository's own credentials, its installation read from its row. */
function checkCredentials(
  em: EntityManager,
  credentials: RepositoryGithubCredentials | null,
): CheckCredentials {
  return {
    async credentialFor(target) {
      if (!credentials) return null;
      const row = await em
        .fork()
        .findOne(RepositoryEntity, { id: target.repoId }, { fields: ['installationId'], filters: false });
      return credentials.credentialFor({
        owner: target.owner,
        name: target.name,
        orgId: target.orgId,
        repoId: target.repoId,
        ...(row?.installationId ? { installationId: String(row.installationId) } : {}),
      });
    },
  };
}
