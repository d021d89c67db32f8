import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { RepoProvider } from '@repoguard/domain';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'repositories' })
@Unique({ properties: ['orgId', 'provider', 'owner', 'name'] })
export class RepositoryEntity {
  [OptionalProps]?:
    | 'createdAt'
    | 'status'
    | 'lastScanAt'
    | 'statusReevaluateAt'
    | 'provider'
    | 'externalId'
    | 'disabledAt'
    | 'disabledReason'
    | 'installationId'
    | 'gitUrl';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'string', length: 16 })
  provider: RepoProvider = 'github';

  @Property({ type: 'string', length: 100 })
  owner!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  /** GitHub's immutable repository id, when known: renames cannot redirect webhooks. */
  @Property({ type: 'bigint', nullable: true })
  externalId: string | null = null;

  @Property({ type: 'string', length: 255 })
  defaultBranch!: string;

  /** provider `git`: the remote the git CLI reads (https, ssh or file); never holds credentials. */
  @Property({ type: 'text', nullable: true })
  gitUrl: string | null = null;

  /** The GitHub App installation that grants access (private repositories): its tokens read the repo. */
  @Property({ type: 'bigint', nullable: true })
  installationId: string | null = null;

  @Property({ type: 'string', length: 16 })
  status: 'PENDING' | 'OK' | 'WARN' | 'FAIL' | 'ERROR' = 'PENDING';

  /** The status must be judged again then, with nothing changed: an ignore it counts on lapses. */
  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  statusReevaluateAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  lastScanAt: Date | null = null;

  /** Set when GitHub says the repository is archived or deleted: pushes and scan requests are refused. */
  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  disabledReason: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
