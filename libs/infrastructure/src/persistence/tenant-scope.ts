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
/** Not a filter: where a scoped manager keeps its org ids for the stores that write plain SQL. */
const SCOPE_PARAMS = 'tenant_scope';

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
  // Forks and transactions copy filter parameters, so the ids travel as the filters do. Sorted, so
  // that what is held beyond a request (StatementTemplates) is keyed by the set, not its order.
  fork.setFilterParams(SCOPE_PARAMS, { orgIds: Object.freeze([...ids].sort()) });
  return fork;
}

/**
 * Whether `orgId` is one a store working through `em` may read: always on the system's own
 * (unscoped) manager. Stores that write plain SQL (knex) are not reached by the tenant filter,
 * so each checks the org it was given with this before reading.
 */
export function orgInScope(em: EntityManager, orgId: string): boolean {
  const scope = scopedOrgIds(em);
  return scope === undefined || scope.includes(orgId);
}

/**
 * The org ids (sorted) of a tenant-scoped manager, and of its forks and transactions; undefined
 * for the system's own, unscoped one.
 */
export function scopedOrgIds(em: EntityManager): readonly string[] | undefined {
  // The global manager (the worker's own work) has no scope, and asking it for its context's
  // parameters outside a request context is refused: it is unscoped by construction.
  const context = em.getContext(false);
  if (context.global) return undefined;
  const params = context.getFilterParams<{ orgIds: readonly string[] }>(SCOPE_PARAMS) as
    { orgIds: readonly string[] } | undefined;
  return params?.orgIds;
}
