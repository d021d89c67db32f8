import { ApiKeyEntity } from './api-key.entity';
import { AuditLogEntity } from './audit-log.entity';
import { DependencyMatchEntity } from './dependency-match.entity';
import { DependencySnapshotEntity } from './dependency-snapshot.entity';
import { DependencyEntity } from './dependency.entity';
import { FindingEntity } from './finding.entity';
import { GithubInstallationEntity } from './github-installation.entity';
import { GithubLinkRequestEntity } from './github-link-request.entity';
import { InvitationEntity } from './invitation.entity';
import { ManifestBlobEntity } from './manifest-blob.entity';
import { MembershipEntity } from './membership.entity';
import { NotificationChannelEntity } from './notification-channel.entity';
import { NotificationEventEntity } from './notification-event.entity';
import { MirroredAdvisoryEntity, MirroredAdvisoryPackageEntity } from './mirrored-advisory.entity';
import { OrganizationEntity } from './organization.entity';
import { PersonalTokenEntity } from './personal-token.entity';
import { PolicyEvaluationEntity } from './policy-evaluation.entity';
import { PolicyEntity } from './policy.entity';
import { RepositoryEntity } from './repository.entity';
import { ScanEntity } from './scan.entity';
import { ScanRequestOutboxEntity } from './scan-request-outbox.entity';
import { StoredSecretEntity } from './stored-secret.entity';
import { UserEntity } from './user.entity';
import { VulnerabilityEntity } from './vulnerability.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { NotificationDeliveryEntity } from './notification-delivery.entity';
import { NotificationRuleMuteEntity } from './notification-rule-mute.entity';
import { PullRequestCheckEntity } from './pull-request-check.entity';
import { RiskAcceptanceEntity } from './risk-acceptance.entity';
import { NotificationRuleEntity } from './notification-rule.entity';
import { SbomUploadEntity } from './sbom-upload.entity';
import { OpenFindingDayEntity } from './open-finding-day.entity';

export {
  ApiKeyEntity,
  AuditLogEntity,
  DependencyEntity,
  DependencyMatchEntity,
  DependencySnapshotEntity,
  FindingEntity,
  GithubInstallationEntity,
  GithubLinkRequestEntity,
  InvitationEntity,
  ManifestBlobEntity,
  MembershipEntity,
  MirroredAdvisoryEntity,
  MirroredAdvisoryPackageEntity,
  NotificationChannelEntity,
  NotificationEventEntity,
  OrganizationEntity,
  PersonalTokenEntity,
  PolicyEntity,
  PolicyEvaluationEntity,
  RepositoryEntity,
  ScanEntity,
  ScanRequestOutboxEntity,
  StoredSecretEntity,
  UserEntity,
  VulnerabilityEntity,
  WebhookDeliveryEntity,
  NotificationRuleEntity,
  NotificationRuleMuteEntity,
  NotificationDeliveryEntity,
  PullRequestCheckEntity,
  RiskAcceptanceEntity,
  SbomUploadEntity,
  OpenFindingDayEntity,
};
export type { SnapshotManifest } from './dependency-snapshot.entity';
export type { ScanStatus } from './scan.entity';

// Listed explicitly: folder discovery breaks in compiled and bundled builds.
export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  MembershipEntity,
  RepositoryEntity,
  ManifestBlobEntity,
  DependencySnapshotEntity,
  DependencyEntity,
  DependencyMatchEntity,
  VulnerabilityEntity,
  FindingEntity,
  PolicyEntity,
  PolicyEvaluationEntity,
  ScanEntity,
  ScanRequestOutboxEntity,
  AuditLogEntity,
  PersonalTokenEntity,
  ApiKeyEntity,
  InvitationEntity,
  WebhookDeliveryEntity,
  StoredSecretEntity,
  GithubInstallationEntity,
  GithubLinkRequestEntity,
  MirroredAdvisoryEntity,
  MirroredAdvisoryPackageEntity,
  NotificationChannelEntity,
  NotificationEventEntity,
  NotificationRuleEntity,
  NotificationRuleMuteEntity,
  NotificationDeliveryEntity,
  PullRequestCheckEntity,
  RiskAcceptanceEntity,
  SbomUploadEntity,
  OpenFindingDayEntity,
];
