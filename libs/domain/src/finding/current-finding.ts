import type { DesiredFinding } from './desired-finding';
import type { FindingStatus } from './finding-status';

/** A finding still present in the repo, with its triage decision. */
export interface CurrentFinding extends DesiredFinding {
  readonly status: Extract<FindingStatus, 'open' | 'ignored'>;
  /** An ignore decision lapses at this time. */
  readonly triageExpiresAt: Date | null;
}
