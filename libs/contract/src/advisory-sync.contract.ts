import { defineQuery } from '@temporalio/workflow';
import type { RepoScanInput } from './repo-scan.contract';

export const SYNC_ADVISORIES_WORKFLOW = 'syncAdvisoriesWorkflow';

/** One sync at a time: a scheduled sync and a manual one started together share the id. */
export const ADVISORY_SYNC_WORKFLOW_ID = 'advisory-sync';

export interface SyncAdvisoriesInput {
  /** OSV exports: paths on the worker, or http(s) URLs (`<Ecosystem>/all.zip`, JSON files, directories). */
  readonly sources: readonly string[];
  /** Re-match stored snapshots affected by what changed (default true). */
  readonly rematch?: boolean;
  /** Where re-match scans run their steps; a queue of its own, polled with few slots. */
  readonly rematchTaskQueue: string;
  /** The task queue of repository scan workflows started for re-matching. */
  readonly scanTaskQueue: string;
  readonly scanTiming?: Pick<RepoScanInput, 'quietWindowMs' | 'maxWaitMs' | 'heartbeatTimeoutMs'>;
  /** Re-match targets requested per activity call (default 250). */
  readonly rematchPageSize?: number;
  /** Set by the sync itself when it continues as new: where the run stands. */
  readonly continued?: SyncAdvisoriesContinued;
}

/** What a sync hands the next run of its chain: only counts and where to resume, never the targets. */
export interface SyncAdvisoriesContinued {
  /** The run's id in the database (`<workflow id>@<first run id>`), which holds its targets. */
  readonly syncRunId: string;
  readonly sources: readonly AdvisorySourceReport[];
  readonly affectedRepos: number;
  readonly scansRequested: number;
  /** The place (1-based) of the first target not requested yet. */
  readonly nextSeq: number;
}

export interface AdvisorySourceReport {
  readonly source: string;
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly withdrawn: number;
  readonly skipped: number;
  /** Advisory range events that could not be read as written, and the rule applied to each. */
  readonly diagnostics: AdvisoryDiagnosticsReport;
}

/** Counts per rule (COERCED, INTRODUCED_AS_ZERO, RANGE_LEFT_OPEN, …) and the first few in full. */
export interface AdvisoryDiagnosticsReport {
  readonly total: number;
  readonly advisories: number;
  readonly byRule: Readonly<Record<string, number>>;
  readonly sample: readonly {
    readonly advisoryId: string;
    readonly ecosystem: string;
    readonly package: string;
    readonly rangeType: string;
    readonly code: string;
    readonly event: string;
    readonly value: string;
    readonly rule: string;
    readonly readAs: readonly string[];
  }[];
}

export interface SyncAdvisoriesProgress {
  readonly phase: 'IMPORTING' | 'FINDING_AFFECTED' | 'REQUESTING_SCANS' | 'DONE';
  readonly sources: readonly AdvisorySourceReport[];
  readonly sourcesLeft: number;
  /** Repositories whose latest snapshot holds a package an imported advisory names. */
  readonly affectedRepos: number;
  readonly scansRequested: number;
}

export type SyncAdvisoriesResult = SyncAdvisoriesProgress;

export const syncProgressQuery = defineQuery<SyncAdvisoriesProgress>('syncProgress');

/** The workflow's signature, for typed starts from clients and schedules. */
export type syncAdvisoriesWorkflowType = (input: SyncAdvisoriesInput) => Promise<SyncAdvisoriesResult>;
