import type { ActorType } from '../audit/actor-type';
import type { FindingStatus, TriageStatus } from './finding-status';
import type { VexAnalysis } from './vex-analysis';
import type { Severity } from '../severity/severity.value-object';

/** What a triage decision needs to know of a finding, and records of it. */
export interface TriageableFinding {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly status: FindingStatus;
  readonly vulnerabilityId: string;
  readonly ecosystem: string;
  readonly packageName: string;
  readonly version: string;
  /** When its ignore lapses (null: never, or not ignored); read by the expiry timer. */
  readonly triageExpiresAt?: Date | null;
  /** The last decision's analysis as stored, and its expiry whatever the status (null: none). */
  readonly analysis?: VexAnalysis | null;
  readonly decisionExpiresAt?: Date | null;
}

export interface TriageDecision {
  /** The finding status the decision gives: findingStatusOfVexState of its analysis, open without one. */
  readonly status: TriageStatus;
  /** The analysis' detail (a reopen may give a reason too). */
  readonly reason: string | null;
  /** The decision in VEX terms; null when reopened. */
  readonly analysis: VexAnalysis | null;
  /** The decision lapses then (its analysis no longer holds, an ignore opens); null when reopened. */
  readonly expiresAt: Date | null;
  /** Who decided (a user or an API key) and when: kept with the decision, shown with the finding. */
  readonly decidedBy: { readonly actorType: ActorType; readonly actorId: string | null };
  readonly decidedAt: Date;
}

/** An ignore found past its expiry and opened again. */
export interface LapsedIgnore {
  readonly id: string;
  readonly vulnerabilityId: string;
  readonly ecosystem: string;
  readonly packageName: string;
  readonly version: string;
  readonly expiresAt: Date;
  readonly manifestPath: string;
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly fixedVersions: readonly string[];
  readonly summary: string | null;
  /** The lapsed ignore's reason, and who decided it (`user:<id>`, `api_key:<id>`). */
  readonly reason: string | null;
  readonly decidedBy: string | null;
}

/** Findings as people triage them (the worker opens and fixes them through its own port). */
export interface FindingTriageRepository {
  /** As the database has it now, even if the unit of work read it before. */
  get(id: string): Promise<TriageableFinding | null>;
  /** Written at once, so what the same unit of work reads next sees it. */
  decide(id: string, decision: TriageDecision): Promise<void>;
  /**
   * Opens the repository's ignored findings whose ignore expired at or before `now` (the decision
   * itself stays on record); answers them.
   */
  lapseExpiredIgnores(repoId: string, now: Date): Promise<LapsedIgnore[]>;
}
