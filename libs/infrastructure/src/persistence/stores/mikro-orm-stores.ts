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

/** How each store of a unit of work is made from its entity manager. */
const MAKERS: { readonly [K in keyof Stores]: (em: EntityManager, settings: StoreSettings) => Stores[K] } = {
  audit: (em) => new MikroOrmAuditTrail(em),
  apiKeys: (em) => new MikroOrmApiKeyRepository(em),
  repositories: (em) => new MikroOrmRepoRepository(em),
  scans: (em) => new MikroOrmScanRepository(em),
  scanHistory: (em) => new MikroOrmScanHistory(em),
  scanRequestOutbox: (em) => new MikroOrmScanRequestOutbox(em),
  webhookDeliveries: (em) => new MikroOrmWebhookDeliveryLog(em),
  githubInstallations: (em) => new MikroOrmGithubInstallationRepository(em),
  gitLogins: (em, settings) => new MikroOrmGitLoginStore(em, settings.secretBox ?? null),
  findingQueries: (em, settings) => new MikroOrmFindingQueries(em, settings.findingTotals),
  findingTriage: (em) => new MikroOrmFindingTriageRepository(em),
  policies: (em) => new MikroOrmPolicyVersionRepository(em),
  scannedState: (em) => new MikroOrmScannedStateReader(em),
  organizations: (em) => new MikroOrmOrganizationRepository(em),
  memberships: (em) => new MikroOrmMembershipRepository(em),
  invitations: (em) => new MikroOrmInvitationRepository(em),
  users: (em) => new MikroOrmUserRepository(em),
  personalTokens: (em) => new MikroOrmPersonalTokenRepository(em),
  auditLog: (em) => new MikroOrmAuditLogQueries(em),
  snapshotQueries: (em) => new MikroOrmSnapshotQueries(em),
  snapshots: (em) => new MikroOrmSnapshotRepository(em),
  resourceOwners: (em) => new MikroOrmResourceOwners(em),
  githubTokens: (em, settings) => new MikroOrmGithubTokenStore(em, settings.secretBox ?? null),
  webhookSecrets: (em, settings) => new MikroOrmWebhookSecretStore(em, settings.secretBox ?? null),
  githubLinkRequests: (em) => new MikroOrmGithubLinkRequestRepository(em),
  sealedSecrets: (em) => new MikroOrmSealedSecrets(em),
  sshDeployKeys: (em, settings) => new MikroOrmSshDeployKeyStore(em, settings.secretBox ?? null),
  rescanSchedules: (em) => new MikroOrmRescanScheduleRepository(em),
  notificationChannels: (em, settings) =>
    new MikroOrmNotificationChannelStore(em, settings.secretBox ?? null),
  notificationEvents: (em) => new MikroOrmNotificationEventLog(em),
  notificationRules: (em) => new MikroOrmNotificationRuleRepository(em),
  notificationDispatch: (em) => new MikroOrmNotificationDispatchQueue(em),
  notificationDeliveries: (em) => new MikroOrmNotificationDeliveryLog(em),
  pullRequestChecks: (em) => new MikroOrmPullRequestCheckRepository(em),
  riskAcceptances: (em) => new MikroOrmRiskAcceptanceRepository(em),
  sbomUploads: (em) => new MikroOrmSbomUploadRepository(em),
  openFindingHistory: (em) => new MikroOrmOpenFindingHistory(em),
  orgOverview: (em) => new MikroOrmOrgOverviewQueries(em),
};

const MADE = Symbol('made');

/**
 * Stores made the first time each is named. The getters live on the prototype, defined once: a
 * unit of work (at least one per request) makes one small object instead of 40 closures and
 * property descriptors.
 */
class LazyStores {
  readonly [MADE] = new Map<keyof Stores, unknown>();

  constructor(
    readonly em: EntityManager,
    readonly settings: StoreSettings,
  ) {}
}

for (const key of Object.keys(MAKERS) as (keyof Stores)[]) {
  Object.defineProperty(LazyStores.prototype, key, {
    get(this: LazyStores) {
      let store = this[MADE].get(key);
      if (store === undefined) {
        store = MAKERS[key](this.em, this.settings);
        this[MADE].set(key, store);
      }
      return store;
    },
    enumerable: true,
  });
}

/** Every store of one unit of work, on its entity manager; each built the first time it is named. */
export function mikroOrmStores(em: EntityManager, settings: StoreSettings = {}): Stores {
  // Every key of Stores has a getter (MAKERS names each).
  return new LazyStores(em, settings) as unknown as Stores;
}
