import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditContext, AuditEvent, AuditTrail } from '@repoguard/domain';
import { recordAudit } from '../audit-trail';

/** Audit rows queued on the unit of work's entity manager, flushed with the change they record. */
export class MikroOrmAuditTrail implements AuditTrail {
  constructor(private readonly em: EntityManager) {}

  record(context: AuditContext, event: AuditEvent): void {
    recordAudit(this.em, context, event);
  }
}
