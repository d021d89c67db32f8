import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActorType, AuditAction } from '@repoguard/domain';
import { AuditLogEntity } from './entities';

/** Who made a change, and in which request: every audit row of that request carries it. */
export interface AuditContext {
  readonly actorType: ActorType;
  readonly actorId: string | null;
  readonly correlationId: string | null;
  readonly ip: string | null;
}

export interface AuditEvent {
  readonly orgId: string;
  readonly action: AuditAction;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly metadata?: Record<string, unknown>;
}

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
