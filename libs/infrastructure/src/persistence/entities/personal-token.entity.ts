import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A user's bearer token: only its SHA-256 is stored; the secret is shown once, at creation. */
@Entity({ tableName: 'personal_tokens' })
export class PersonalTokenEntity {
  [OptionalProps]?: 'createdAt' | 'revokedAt' | 'lastUsedAt' | 'expiresAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Unique()
  @Property({ type: 'string', length: 64 })
  tokenHash!: string;

  /** The token's first characters, safe to show: tells tokens apart in lists and logs. */
  @Property({ type: 'string', length: 32 })
  prefix!: string;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  /** null: never expires. Checked on every request, like revokedAt. */
  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
