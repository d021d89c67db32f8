import type { ScanCompleteness } from '../dependency/snapshot-completeness';

/** A scan as its history shows it. */
export interface ScanRecord {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly status: string;
  readonly trigger: string;
  readonly requestedBy: string | null;
  readonly ref: string | null;
  readonly commitSha: string | null;
  readonly snapshotId: string | null;
  /** Whether its snapshot read every manifest; null before it has one. */
  readonly completeness: ScanCompleteness | null;
  readonly phaseTimings: Readonly<Record<string, number>>;
  readonly counts: Readonly<Record<string, number>>;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly workflowId: string;
  readonly runId: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
}

/** Scans as the unit of work's tenant scope lets it see them. */
export interface ScanHistory {
  get(scanId: string): Promise<ScanRecord | null>;
  /** Newest first. */
  listByRepo(
    repoId: string,
    page: { readonly limit: number; readonly offset: number },
  ): Promise<{ items: ScanRecord[]; total: number }>;
}
