export type ActorType = 'user' | 'api_key' | 'system' | 'webhook';

/** Append-only record of a change: who did what to which target, and in which request. */
export interface AuditLog {
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
