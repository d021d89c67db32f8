import type { AuditTrail } from '../audit/audit-trail.port';
import type { ApiKeyRepository } from '../identity/api-key-repository.port';
import type { RepoRepository } from '../repository/repo-repository.port';
import type { ScanHistory } from '../scan/scan-history.port';
import type { ScanRepository } from '../scan/scan-repository.port';
import type { ScanRequestOutbox } from '../scan/scan-request-outbox.port';
import type { WebhookDeliveryLog } from '../webhook/webhook-delivery-log.port';
import type { WebhookSecretStore } from '../webhook/webhook-secret-store.port';
import type { GitLoginStore } from '../repository/git-login-store.port';
import type { GithubInstallationRepository } from '../github-installation/github-installation-repository.port';
import type { FindingQueries } from '../finding/finding-queries.port';
import type { FindingTriageRepository } from '../finding/finding-triage-repository.port';
import type { PolicyVersionRepository } from '../policy/policy-version-repository.port';
import type { ScannedStateReader } from '../policy/scanned-state-reader.port';
import type { OrganizationRepository } from '../organization/organization-repository.port';
import type { MembershipRepository } from '../identity/membership-repository.port';
import type { InvitationRepository } from '../identity/invitation-repository.port';
import type { UserRepository } from '../identity/user-repository.port';
import type { PersonalTokenRepository } from '../identity/personal-token-repository.port';
import type { AuditLogQueries } from '../audit/audit-log-queries.port';
import type { SnapshotQueries } from '../dependency/snapshot-queries.port';
import type { SnapshotRepository } from '../dependency/snapshot-repository.port';
import type { ResourceOwners } from '../identity/resource-owners.port';
import type { GithubTokenStore } from '../github-installation/github-token-store.port';
import type { GithubLinkRequestRepository } from '../github-installation/github-link-request-repository.port';
import type { SealedSecrets } from '../security/sealed-secrets.port';
import type { SshDeployKeyStore } from '../repository/ssh-deploy-key-store.port';
import type { RescanScheduleRepository } from '../notification/rescan-schedule-repository.port';
import type { NotificationChannelStore } from '../notification/notification-channel-store.port';
import type { NotificationEventLog } from '../notification/notification-event-log.port';
import type { NotificationRuleRepository } from '../notification/notification-rule-repository.port';
import type { NotificationDispatchQueue } from '../notification/notification-dispatch-queue.port';
import type { NotificationDeliveryLog } from '../notification/notification-delivery-log.port';
import type { PullRequestCheckRepository } from '../pull-request/pull-request-check-repository.port';
import type { RiskAcceptanceRepository } from '../pull-request/risk-acceptance-repository.port';
import type { SbomUploadRepository } from '../sbom/sbom-upload-repository.port';
import type { OpenFindingHistory } from '../finding/open-finding-history.port';
import type { OrgOverviewQueries } from '../repository/org-overview-queries.port';

/**
 * The repositories a use case works through, all bound to one unit of work (one transaction, one
 * tenant scope). Adapters create them lazily, so naming a store costs nothing until it is used.
 */
export interface Stores {
  readonly audit: AuditTrail;
  readonly apiKeys: ApiKeyRepository;
  readonly repositories: RepoRepository;
  readonly scans: ScanRepository;
  readonly scanHistory: ScanHistory;
  readonly scanRequestOutbox: ScanRequestOutbox;
  readonly webhookDeliveries: WebhookDeliveryLog;
  readonly githubInstallations: GithubInstallationRepository;
  readonly gitLogins: GitLoginStore;
  readonly findingQueries: FindingQueries;
  readonly findingTriage: FindingTriageRepository;
  readonly policies: PolicyVersionRepository;
  readonly scannedState: ScannedStateReader;
  readonly organizations: OrganizationRepository;
  readonly memberships: MembershipRepository;
  readonly invitations: InvitationRepository;
  readonly users: UserRepository;
  readonly personalTokens: PersonalTokenRepository;
  readonly auditLog: AuditLogQueries;
  readonly snapshotQueries: SnapshotQueries;
  /** A snapshot's dependencies as stored (hashes, licences, edges) and its matches: the exports read them. */
  readonly snapshots: SnapshotRepository;
  readonly resourceOwners: ResourceOwners;
  readonly githubTokens: GithubTokenStore;
  readonly webhookSecrets: WebhookSecretStore;
  readonly githubLinkRequests: GithubLinkRequestRepository;
  readonly sealedSecrets: SealedSecrets;
  readonly sshDeployKeys: SshDeployKeyStore;
  readonly rescanSchedules: RescanScheduleRepository;
  readonly notificationChannels: NotificationChannelStore;
  readonly notificationEvents: NotificationEventLog;
  readonly notificationRules: NotificationRuleRepository;
  readonly notificationDispatch: NotificationDispatchQueue;
  readonly notificationDeliveries: NotificationDeliveryLog;
  readonly pullRequestChecks: PullRequestCheckRepository;
  readonly riskAcceptances: RiskAcceptanceRepository;
  readonly sbomUploads: SbomUploadRepository;
  readonly openFindingHistory: OpenFindingHistory;
  readonly orgOverview: OrgOverviewQueries;
}
