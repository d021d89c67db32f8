/** What a triage decision needs to know of a finding, and records of it. */
export interface TriageableFinding {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly status: 'open' | 'fixed' | 'ignored';
  readonly vulnerabilityId: string;
  readonly ecosystem: string;
  readonly packageName: string;
  readonly version: string;
}

export interface TriageDecision {
  readonly status: 'open' | 'ignored';
  readonly reason: string | null;
  /** An ignore decision lapses then; null when reopened. */
  readonly expiresAt: Date | null;
}

/** Findings as people triage them (the worker opens and fixes them through its own port). */
export interface FindingTriageRepository {
  get(id: string): Promise<TriageableFinding | null>;
  decide(id: string, decision: TriageDecision): Promise<void>;
}
