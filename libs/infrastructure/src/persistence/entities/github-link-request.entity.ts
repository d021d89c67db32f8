import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A pending link of a GitHub App installation: the org and the user who asked, bound to a
 * single-use, short-lived `state` of which only the SHA-256 is stored.
 */
@Entity({ tableName: 'github_link_requests' })
export class GithubLinkRequestEntity {
  [OptionalProps]?: 'createdAt' | 'usedAt' | 'installationId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'uuid' })
  requestedBy!: string;

  @Property({ type: 'bigint', nullable: true })
  installationId: string | null = null;

  @Unique()
  @Property({ type: 'string', length: 64 })
  stateHash!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
