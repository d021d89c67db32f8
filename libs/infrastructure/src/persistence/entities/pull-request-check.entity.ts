import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type {
  CheckConclusion,
  CheckDelivery,
  PullRequestCheckState,
  PullRequestComparison,
} from '@repoguard/domain';

/** One head commit's check (see PullRequestCheckRecord); Migration20261211010000, 020000 and 030000. */
@Entity({ tableName: 'pull_request_checks' })
export class PullRequestCheckEntity {
  [OptionalProps]?:
    | 'state'
    | 'conclusion'
    | 'delivery'
    | 'checkRunId'
    | 'comparison'
    | 'errorCode'
    | 'createdAt'
    | 'updatedAt'
    | 'completedAt'
    | 'requestedAt'
    | 'headAt'
    | 'relayDueAt'
    | 'taskQueue';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'uuid' })
  repoId!: string;

  @Property({ type: 'integer' })
  prNumber!: number;

  @Property({ type: 'string', length: 64 })
  headSha!: string;

  @Property({ type: 'text' })
  baseRef!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  baseSha: string | null = null;

  @Property({ type: 'string', length: 16 })
  state: PullRequestCheckState = 'queued';

  @Property({ type: 'string', length: 16, nullable: true })
  conclusion: CheckConclusion | null = null;

  @Property({ type: 'string', length: 16, nullable: true })
  delivery: CheckDelivery | null = null;

  @Property({ type: 'string', length: 32, nullable: true })
  checkRunId: string | null = null;

  @Property({ type: 'json', nullable: true })
  comparison: PullRequestComparison | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  errorCode: string | null = null;

  @Property({ type: 'text' })
  requestedBy!: string;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  requestedAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  headAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  relayDueAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  taskQueue: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  completedAt: Date | null = null;
}
