import type { AuditAction } from './audit-actions';
import type { ActorType } from './actor-type';

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
