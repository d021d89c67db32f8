import type { DesiredFinding } from './desired-finding';

/** A finding still present in the repo, with its triage decision. */
export interface CurrentFinding extends DesiredFinding {
  readonly status: 'open' | 'ignored';
  /** An ignore decision lapses at this time. */
  readonly triageExpiresAt: Date | null;
}
