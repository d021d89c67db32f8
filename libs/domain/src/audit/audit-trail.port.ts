import type { AuditContext, AuditEvent } from './audit-event';

/**
 * The append-only audit log. A row is written with the unit of work that made the change it
 * records: never a change without its row, nor a row for a change that was rolled back.
 */
export interface AuditTrail {
  record(context: AuditContext, event: AuditEvent): void;
}
