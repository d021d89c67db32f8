import type { EntityManager } from '@mikro-orm/postgresql';
import type { Stores } from '@repoguard/domain';
import type { AesGcmSecretBox } from '../../crypto/secret-box';
import type { FindingTotals } from '../read-models/finding-totals';
import { MikroOrmApiKeyRepository } from './mikro-orm-api-key-repository';
import { MikroOrmAuditLogQueries } from './mikro-orm-audit-log-queries';
import { MikroOrmAuditTrail } from './mikro-orm-audit-trail';
import { MikroOrmScanRepository } from '../repositories/mikro-orm-scan-repository';
import { MikroOrmGithubInstallationRepository } from './mikro-orm-github-installation-repository';
import { MikroOrmRepoRepository } from './mikro-orm-repo-repository';
import { MikroOrmScanHistory } from './mikro-orm-scan-history';
import { MikroOrmScanRequestOutbox } from './mikro-orm-scan-request-outbox';
import { MikroOrmWebhookDeliveryLog } from './mikro-orm-webhook-delivery-log';
import { MikroOrmSnapshotQueries } from './mikro-orm-snapshot-queries';
import { MikroOrmSnapshotRepository } from '../repositories/mikro-orm-snapshot-repository';
import { MikroOrmFindingQueries } from './mikro-orm-finding-queries';
import { MikroOrmFindingTriageRepository } from './mikro-orm-finding-triage-repository';
import { MikroOrmGitLoginStore } from './mikro-orm-git-login-store';
import { MikroOrmGithubTokenStore } from './mikro-orm-github-token-store';
import { MikroOrmWebhookSecretStore } from './mikro-orm-webhook-secret-store';
import { MikroOrmGithubLinkRequestRepository } from './mikro-orm-github-link-request-repository';
import { MikroOrmInvitationRepository } from './mikro-orm-invitation-repository';
import { MikroOrmMembershipRepository } from './mikro-orm-membership-repository';
import { MikroOrmOrganizationRepository } from './mikro-orm-organization-repository';
import { MikroOrmPersonalTokenRepository } from './mikro-orm-personal-token-repository';
import { MikroOrmUserRepository } from './mikro-orm-user-repository';
import { MikroOrmPolicyVersionRepository } from './mikro-orm-policy-version-repository';
import { MikroOrmResourceOwners } from './mikro-orm-resource-owners';
import { MikroOrmScannedStateReader } from './mikro-orm-scanned-state-reader';
import { MikroOrmSealedSecrets } from './mikro-orm-sealed-secrets';
import { MikroOrmSshDeployKeyStore } from './mikro-orm-ssh-deploy-key-store';
import { MikroOrmRescanScheduleRepository } from './mikro-orm-rescan-schedule-repository';
import { MikroOrmNotificationChannelStore } from './mikro-orm-notification-channel-store';
import { MikroOrmNotificationEventLog } from './mikro-orm-notification-event-log';
import { MikroOrmNotificationRuleRepository } from './mikro-orm-notification-rule-repository';
import { MikroOrmNotificationDispatchQueue } from './mikro-orm-notification-dispatch-queue';
import { MikroOrmNotificationDeliveryLog } from './mikro-orm-notification-delivery-log';
import { MikroOrmPullRequestCheckRepository } from './mikro-orm-pull-request-check-repository';
import { MikroOrmRiskAcceptanceRepository } from './mikro-orm-risk-acceptance-repository';
import { MikroOrmSbomUploadRepository } from './mikro-orm-sbom-upload-repository';
import { MikroOrmOpenFindingHistory } from './mikro-orm-open-finding-history';
import { MikroOrmOrgOverviewQueries } from './mikro-orm-org-overview-queries';

/** What some stores need beyond the entity manager. */
export interface StoreSettings {
  /** Seals stored credentials; without it, storing one is refused (ENCRYPTION_NOT_CONFIGURED). */
  readonly secretBox?: AesGcmSecretBox | null;
  /** Long lists' totals, shared by the units of work of one process; without it, always counted. */
  readonly findingTotals?: FindingTotals;
}

/** Every store of one unit of work, on its entity manager; each built the first time it is named. */
export function mikroOrmStores(em: EntityManager, settings: StoreSettings = {}): Stores {
  const cache = new Map<keyof Stores, unknown>();
  const lazy = <K extends keyof Stores>(key: K, make: () => Stores[K]) => ({
    get: (): Stores[K] => {
      if (!cache.has(key)) cache.set(key, make());
      return cache.get(key) as Stores[K];
    },
    enumerable: true,
  });
  return Object.defineProperties({} as Stores, {
    audit: lazy('audit', () => new MikroOrmAuditTrail(em)),
    apiKeys: lazy('apiKeys', () => new MikroOrmApiKeyRepository(em)),
    repositories: lazy('repositories', () => new MikroOrmRepoRepository(em)),
    scans: lazy('scans', () => new MikroOrmScanRepository(em)),
    scanHistory: lazy('scanHistory', () => new MikroOrmScanHistory(em)),
    scanRequestOutbox: lazy('scanRequestOutbox', () => new MikroOrmScanRequestOutbox(em)),
    webhookDeliveries: lazy('webhookDeliveries', () => new MikroOrmWebhookDeliveryLog(em)),
    githubInstallations: lazy('githubInstallations', () => new MikroOrmGithubInstallationRepository(em)),
    gitLogins: lazy('gitLogins', () => new MikroOrmGitLoginStore(em, settings.secretBox ?? null)),
    findingQueries: lazy('findingQueries', () => new MikroOrmFindingQueries(em, settings.findingTotals)),
    findingTriage: lazy('findingTriage', () => new MikroOrmFindingTriageRepository(em)),
    policies: lazy('policies', () => new MikroOrmPolicyVersionRepository(em)),
    scannedState: lazy('scannedState', () => new MikroOrmScannedStateReader(em)),
    organizations: lazy('organizations', () => new MikroOrmOrganizationRepository(em)),
    memberships: lazy('memberships', () => new MikroOrmMembershipRepository(em)),
    invitations: lazy('invitations', () => new MikroOrmInvitationRepository(em)),
    users: lazy('users', () => new MikroOrmUserRepository(em)),
    personalTokens: lazy('personalTokens', () => new MikroOrmPersonalTokenRepository(em)),
    auditLog: lazy('auditLog', () => new MikroOrmAuditLogQueries(em)),
    snapshotQueries: lazy('snapshotQueries', () => new MikroOrmSnapshotQueries(em)),
    snapshots: lazy('snapshots', () => new MikroOrmSnapshotRepository(em)),
    resourceOwners: lazy('resourceOwners', () => new MikroOrmResourceOwners(em)),
    githubTokens: lazy('githubTokens', () => new MikroOrmGithubTokenStore(em, settings.secretBox ?? null)),
    webhookSecrets: lazy(
      'webhookSecrets',
      () => new MikroOrmWebhookSecretStore(em, settings.secretBox ?? null),
    ),
    githubLinkRequests: lazy('githubLinkRequests', () => new MikroOrmGithubLinkRequestRepository(em)),
    sealedSecrets: lazy('sealedSecrets', () => new MikroOrmSealedSecrets(em)),
    sshDeployKeys: lazy('sshDeployKeys', () => new MikroOrmSshDeployKeyStore(em, settings.secretBox ?? null)),
    rescanSchedules: lazy('rescanSchedules', () => new MikroOrmRescanScheduleRepository(em)),
    notificationChannels: lazy(
      'notificationChannels',
      () => new MikroOrmNotificationChannelStore(em, settings.secretBox ?? null),
    ),
    notificationEvents: lazy('notificationEvents', () => new MikroOrmNotificationEventLog(em)),
    notificationRules: lazy('notificationRules', () => new MikroOrmNotificationRuleRepository(em)),
    notificationDispatch: lazy('notificationDispatch', () => new MikroOrmNotificationDispatchQueue(em)),
    notificationDeliveries: lazy('notificationDeliveries', () => new MikroOrmNotificationDeliveryLog(em)),
    pullRequestChecks: lazy('pullRequestChecks', () => new MikroOrmPullRequestCheckRepository(em)),
    riskAcceptances: lazy('riskAcceptances', () => new MikroOrmRiskAcceptanceRepository(em)),
    sbomUploads: lazy('sbomUploads', () => new MikroOrmSbomUploadRepository(em)),
    openFindingHistory: lazy('openFindingHistory', () => new MikroOrmOpenFindingHistory(em)),
    orgOverview: lazy('orgOverview', () => new MikroOrmOrgOverviewQueries(em)),
  });
}
