import type { ScanTrigger } from '@repoguard/contract';

/** Identifies the scan every activity works for; small, so it travels through history freely. */
export interface ScanRef {
  readonly scanId: string;
  readonly orgId: string;
  readonly repoId: string;
  /** Of the request the scan serves (X-Request-Id, a webhook delivery id): every step logs it. */
  readonly correlationId?: string;
}

export interface FetchManifestInput extends ScanRef {
  readonly owner: string;
  readonly name: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly trigger: ScanTrigger;
  readonly requestedBy: string | null;
  readonly commitSha?: string;
  readonly ref?: string;
}

/** Manifests by blob SHA: their contents stay in PostgreSQL, never in workflow history. */
export interface FetchedManifests {
  readonly commitSha: string;
  readonly ref: string;
  readonly manifests: readonly { readonly path: string; readonly blobSha: string; readonly size: number }[];
}

export interface ParseInput extends ScanRef {
  readonly commitSha: string;
  readonly manifests: FetchedManifests['manifests'];
}

export interface ParseResult {
  readonly snapshotId: string;
  readonly dependencies: number;
  readonly reused: boolean;
}

export interface BeginRematchInput extends ScanRef {
  readonly snapshotId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly requestedBy: string | null;
}

/** A whole re-match in one step (rematchSnapshot): beginRematch's input and how to match. */
export interface RematchSnapshotInput extends BeginRematchInput {
  /** As OsvQueryInput's: the advisories as stored now. */
  readonly freshAdvisories?: boolean;
}

export interface CloseScanInput extends ScanRef {
  readonly workflowId: string;
  readonly runId: string;
  readonly trigger: ScanTrigger;
  readonly requestedBy: string | null;
  readonly outcome: 'SUPERSEDED' | 'FAILED';
  /** outcome FAILED: the code and message recorded on the scan. */
  readonly code?: string;
  readonly message?: string;
}

export interface SnapshotStepInput extends ScanRef {
  readonly snapshotId: string;
}

export interface OsvQueryInput extends SnapshotStepInput {
  /**
   * The scan serves a re-match after an advisory import: match against the advisories as stored
   * now, not a copy the worker checked a few seconds ago, which may predate that import.
   */
  readonly freshAdvisories?: boolean;
}

export interface ScanLimits {
  /** Largest manifest accepted; a bigger one fails the scan as MANIFEST_TOO_LARGE. */
  readonly maxManifestBytes: number;
  /** All manifests of one scan together. */
  readonly maxScanBytes: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  maxManifestBytes: 10 * 1024 * 1024,
  maxScanBytes: 50 * 1024 * 1024,
};
