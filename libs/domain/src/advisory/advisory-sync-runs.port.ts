import type { RematchTarget } from './rematch-target-finder.port';

/** A re-match target and its place in its sync run's list (1, 2, …): pages are asked for by place. */
export interface NumberedRematchTarget extends RematchTarget {
  readonly seq: number;
}

/**
 * What each advisory sync run has done, kept in the database so that every step of the run can be
 * retried (at-least-once) and still agree with the others: the run itself is the watermark of
 * what it imported, and its re-match targets are stored once and read a page at a time.
 */
export interface AdvisorySyncRuns {
  /** Records where the mirror stands as the run begins; later calls for the same run keep the first. */
  begin(syncRunId: string): Promise<void>;
  /**
   * Finds the repositories whose last completed scan's snapshot holds a package named by an
   * advisory written since the run began (by this run's imports, whether or not their completion
   * reached the workflow), and stores them numbered. Once per run: a retry returns the stored count.
   */
  collectTargets(syncRunId: string): Promise<number>;
  /** The run's targets from place `fromSeq` on, at most `limit`, in order. */
  targets(syncRunId: string, fromSeq: number, limit: number): Promise<NumberedRematchTarget[]>;
}
