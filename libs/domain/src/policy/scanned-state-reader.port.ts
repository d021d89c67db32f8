import type { judgeFindings } from './judge-findings';

/** What a policy judges: the repository's current findings and its last scanned dependencies. */
export interface ScannedState {
  readonly snapshotId: string;
  readonly findings: Parameters<typeof judgeFindings>[1];
  readonly dependencies: Parameters<typeof judgeFindings>[2];
  /** What that scan could not read. */
  readonly completeness: Parameters<typeof judgeFindings>[4];
}

export interface ScannedStateReader {
  /** As of the repository's newest completed scan; null when none completed yet. */
  lastScanned(repoId: string): Promise<ScannedState | null>;
}
