import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** SUPERSEDED: ended without a verdict because a newer scan of the repository took over. */
export type ScanStatus =
  | 'QUEUED'
  | 'FETCHING'
  | 'PARSING'
  | 'MATCHING'
  | 'PERSISTING'
  | 'EVALUATING'
  | 'COMPLETED'
  | 'FAILED'
  | 'SUPERSEDED';

/** One scan = one workflow run; its id is chosen by the workflow, so activity retries upsert it. */
@Entity({ tableName: 'scans' })
@Index({ properties: ['repoId', 'createdAt'] })
// The org's recent scans (its overview).
@Index({ properties: ['orgId', 'createdAt'] })
@Unique({ properties: ['workflowId', 'runId'] })
export class ScanEntity {
  [OptionalProps]?:
    | 'createdAt'
    | 'commitSha'
    | 'ref'
    | 'phaseTimings'
    | 'counts'
    | 'errorCode'
    | 'errorMessage'
    | 'startedAt'
    | 'startSeq'
    | 'completedAt'
    | 'requestedBy'
    | 'snapshotId'
    | 'runId'
    | 'promisedByRunId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Index()
  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'uuid' })
  repoId!: string;

  @Property({ type: 'text' })
  workflowId!: string;

  /** Null until the run that serves a queued request starts (a follow-up run's id is not known before). */
  @Property({ type: 'text', nullable: true })
  runId: string | null = null;

  /** With no run yet: the run whose follow-up (continue-as-new) was promised to serve the scan. */
  @Property({ type: 'text', nullable: true })
  promisedByRunId: string | null = null;

  @Property({ type: 'string', length: 16 })
  trigger!: string;

  @Property({ type: 'text', nullable: true })
  requestedBy: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  commitSha: string | null = null;

  @Property({ type: 'text', nullable: true })
  ref: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  snapshotId: string | null = null;

  @Property({ type: 'string', length: 16 })
  status!: ScanStatus;

  @Property({ type: 'json' })
  phaseTimings: Record<string, number> = {};

  @Property({ type: 'json' })
  counts: Record<string, number> = {};

  @Property({ type: 'string', length: 64, nullable: true })
  errorCode: string | null = null;

  @Property({ type: 'text', nullable: true })
  errorMessage: string | null = null;

  /** Set by the database when the scan starts, like `startSeq`: never from a worker's clock. */
  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  /**
   * The order scans started in, as the database saw it (sequence `scans_start_seq`): which of two
   * scans is newer, whatever the clocks of the workers that ran them said.
   */
  @Property({ type: 'bigint', nullable: true })
  startSeq: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  completedAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
