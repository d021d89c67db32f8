import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'organizations' })
export class OrganizationEntity {
  [OptionalProps]?: 'createdAt' | 'rateLimitPerMinute' | 'deletedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Unique()
  @Property({ type: 'string', length: 64 })
  slug!: string;

  /** Requests per minute per token; null means the instance default. */
  @Property({ type: 'integer', nullable: true })
  rateLimitPerMinute: number | null = null;

  /** Deleted orgs keep their row (the audit log refers to it) but no member, key or invitation. */
  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
