import type { ActorType } from './actor-type';

/** One audit row as it is read back. */
export interface AuditRecord {
  readonly id: string;
  readonly orgId: string;
  readonly actorType: ActorType;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly correlationId: string | null;
  readonly ip: string | null;
  readonly createdAt: Date;
}

/** Where the previous page ended: rows strictly older than this one come next. */
export interface AuditPosition {
  readonly createdAt: Date;
  readonly id: string;
}

export interface AuditLogFilter {
  readonly action?: string;
  readonly actorId?: string;
  readonly since?: Date;
  readonly until?: Date;
  readonly after?: AuditPosition;
}

export interface AuditLogQueries {
  /** The org's rows, newest first. */
  newestFirst(orgId: string, filter: AuditLogFilter, limit: number): Promise<AuditRecord[]>;
}
