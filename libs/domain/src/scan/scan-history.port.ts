import type { ScanCompleteness } from '../dependency/snapshot-completeness';
import type { PolicyReason, PolicyStatus } from '../policy/evaluate-policy';

/** The policy's verdict stored for a scan (its evaluatePolicy step). */
export interface ScanVerdict {
  readonly status: PolicyStatus;
  /** null: the built-in default policy. */
  readonly policyVersion: number | null;
  readonly reasons: readonly PolicyReason[];
  readonly evaluatedAt: Date;
}

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
  /** null until the scan's policy step stored one (a failed or superseded scan has none). */
  readonly verdict: ScanVerdict | null;
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
