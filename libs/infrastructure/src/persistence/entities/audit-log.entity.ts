import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** Append-only: the database refuses UPDATE and DELETE on this table (see the migration). */
@Entity({ tableName: 'audit_logs' })
@Index({ properties: ['orgId', 'createdAt', 'id'] })
export class AuditLogEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'string', length: 16 })
  actorType!: 'user' | 'api_key' | 'system' | 'webhook';

  @Property({ type: 'text', nullable: true })
  actorId: string | null = null;

  @Property({ type: 'string', length: 64 })
  action!: string;

  @Property({ type: 'string', length: 32 })
  targetType!: string;

  @Property({ type: 'text', nullable: true })
  targetId: string | null = null;

  @Property({ type: 'json' })
  metadata: Record<string, unknown> = {};

  @Property({ type: 'text', nullable: true })
  correlationId: string | null = null;

  @Property({ type: 'text', nullable: true })
  ip: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
