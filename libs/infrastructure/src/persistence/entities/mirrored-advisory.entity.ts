import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { OsvRecord } from '@repoguard/domain';

/**
 * The local OSV mirror: every imported record by id, withdrawn ones included (kept so a later
 * import of an older copy cannot bring them back). Shared by all orgs: advisories are public data.
 */
@Entity({ tableName: 'mirrored_advisories' })
export class MirroredAdvisoryEntity {
  [OptionalProps]?: 'importedAt' | 'withdrawn' | 'writtenXid' | 'entryDigest';

  @PrimaryKey({ type: 'string', length: 128 })
  id!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  modified!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  withdrawn: Date | null = null;

  @Property({ type: 'json' })
  record!: OsvRecord;

  /** When this copy arrived (what re-matching after a sync looks for). */
  @Index()
  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  importedAt: Date = new Date();

  /**
   * The transaction that wrote this copy (xid8): workers refresh from the oldest transaction still
   * running at their last read, so a slow import that commits late is still picked up.
   */
  @Index()
  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  writtenXid?: string;

  /** The zip entry this copy was read from (see Migration20261215010000); null when not from one. */
  @Property({ type: 'string', length: 32, nullable: true })
  entryDigest: string | null = null;
}

/** Which packages a mirrored advisory names, by ecosystem and normalised name: the lookup key. */
@Entity({ tableName: 'mirrored_advisory_packages' })
export class MirroredAdvisoryPackageEntity {
  @PrimaryKey({ type: 'string', length: 32 })
  ecosystem!: string;

  @PrimaryKey({ type: 'text' })
  name!: string;

  @Index()
  @PrimaryKey({ type: 'string', length: 128 })
  advisoryId!: string;
}
