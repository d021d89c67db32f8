import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditContext, AuditEvent, AuditTrail } from '@repoguard/domain';
import { AuditLogEntity } from '../entities';

/**
 * Audit rows queued on the unit of work's entity manager: flushed in one transaction with the
 * change they record, so there is never a change without its row, nor a row for a change that failed.
 */
export class MikroOrmAuditTrail implements AuditTrail {
  constructor(private readonly em: EntityManager) {}

  record(context: AuditContext, event: AuditEvent): void {
    this.em.create(AuditLogEntity, {
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
}
