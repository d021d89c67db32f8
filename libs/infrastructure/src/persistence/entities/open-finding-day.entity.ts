import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A repository's open findings per severity at the end of one UTC day: its last count that day
 * (MikroOrmOpenFindingHistory). A day without a row carries the one before, so the 90-day trend
 * needs no daily job.
 */
@Entity({ tableName: 'open_finding_days' })
// The org's trend: its rows in a window, and each repository's last row before it.
@Index({ properties: ['orgId', 'repoId', 'day'] })
export class OpenFindingDayEntity {
  @PrimaryKey({ type: 'uuid' })
  repoId!: string;

  /** The UTC day, as YYYY-MM-DD. */
  @PrimaryKey({ type: 'date' })
  day!: string;

  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'integer' }) critical!: number;
  @Property({ type: 'integer' }) high!: number;
  @Property({ type: 'integer' }) medium!: number;
  @Property({ type: 'integer' }) low!: number;
  @Property({ type: 'integer' }) unknown!: number;

  /** When the day's count was last written. */
  @Property({ type: 'Date', columnType: 'timestamptz' })
  recordedAt!: Date;
}
