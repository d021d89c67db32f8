import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ApiKeyEntity,
  AuditLogEntity,
  DependencyEntity,
  DependencyMatchEntity,
  DependencySnapshotEntity,
  FindingEntity,
  GithubInstallationEntity,
  GithubLinkRequestEntity,
  InvitationEntity,
  MembershipEntity,
  NotificationChannelEntity,
  NotificationDeliveryEntity,
  NotificationEventEntity,
  NotificationRuleEntity,
  OpenFindingDayEntity,
  OrganizationEntity,
  PolicyEntity,
  PolicyEvaluationEntity,
  PullRequestCheckEntity,
  RepositoryEntity,
  RiskAcceptanceEntity,
  ScanEntity,
  SbomUploadEntity,
  ScanRequestOutboxEntity,
  StoredSecretEntity,
} from './entities';

/** Every entity that belongs to one org: a tenant-scoped entity manager sees only its orgs' rows. */
export const TENANT_ENTITIES = [
  ApiKeyEntity,
  AuditLogEntity,
  DependencyEntity,
  DependencyMatchEntity,
  DependencySnapshotEntity,
  FindingEntity,
  GithubInstallationEntity,
  GithubLinkRequestEntity,
  InvitationEntity,
  MembershipEntity,
  NotificationChannelEntity,
  NotificationDeliveryEntity,
  NotificationEventEntity,
  NotificationRuleEntity,
  OpenFindingDayEntity,
  PolicyEntity,
  PolicyEvaluationEntity,
  PullRequestCheckEntity,
  RepositoryEntity,
  RiskAcceptanceEntity,
  SbomUploadEntity,
  ScanEntity,
  ScanRequestOutboxEntity,
  StoredSecretEntity,
];

export const TENANT_FILTER = 'tenant';

/** The org ids each tenant-scoped fork was made for: what a result held beyond its request is keyed by. */
const scopes = new WeakMap<EntityManager, readonly string[]>();

/** The orgs `em` is limited to when tenantScoped made it; undefined for any other manager. */
export function tenantOrgIdsOf(em: EntityManager): readonly string[] | undefined {
  return scopes.get(em);
}

/**
 * A fork of the entity manager on which every find, count and populate of a tenant entity carries
 * `org_id IN (orgIds)`, and organizations are limited to those ids. The API hands only such forks
 * to its services, so a query that forgets the org still cannot read another tenant's rows.
 */
export function tenantScoped(em: EntityManager, orgIds: readonly string[]): EntityManager {
  const fork = em.fork({ clear: true });
  const ids = [...orgIds];
  fork.addFilter(TENANT_FILTER, { orgId: { $in: ids } }, TENANT_ENTITIES, { default: true });
  fork.addFilter('tenant_orgs', { id: { $in: ids } }, [OrganizationEntity], { default: true });
  scopes.set(fork, Object.freeze([...ids].sort()));
  return fork;
}
