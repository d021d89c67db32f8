import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { PolicyRules } from '@repoguard/domain';

/** Versioned: a change inserts the next version; rows are never edited. */
@Entity({ tableName: 'policies' })
export class PolicyEntity {
  [OptionalProps]?: 'createdAt' | 'createdBy';

  @PrimaryKey({ type: 'uuid' })
  orgId!: string;

  @PrimaryKey({ type: 'integer' })
  version!: number;

  @Property({ type: 'json' })
  rules!: PolicyRules;

  @Property({ type: 'text', nullable: true })
  createdBy: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
