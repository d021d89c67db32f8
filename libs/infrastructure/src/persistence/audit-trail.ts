import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditContext, AuditEvent } from '@repoguard/domain';
import { AuditLogEntity } from './entities';

export type { AuditContext, AuditEvent };

/**
 * Queues the audit row on the same unit of work as the change it records: both are flushed in one
 * transaction, so there is never a change without its row, nor a row for a change that failed.
 */
export function recordAudit(em: EntityManager, context: AuditContext, event: AuditEvent): AuditLogEntity {
  return em.create(AuditLogEntity, {
    orgId: event.orgId,
    actorType: context.actorType,
    actorId: context.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    metadata: event.metadata ?? {},
    correlationId: context.correlationId,
    ip: context.ip,
  });
}
