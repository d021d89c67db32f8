import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A GitHub App installation linked to an org. One installation belongs to one org at most: the
 * private repositories it grants are that org's to scan.
 */
@Entity({ tableName: 'github_installations' })
export class GithubInstallationEntity {
  [OptionalProps]?: 'createdAt' | 'revokedAt';

  // GitHub's id, not a sequence of ours.
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  installationId!: string;

  @Index()
  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'string', length: 100 })
  accountLogin!: string;

  @Property({ type: 'string', length: 32 })
  accountType!: string;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
