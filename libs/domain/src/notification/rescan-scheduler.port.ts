import type { RecurringSchedule } from './recurring-schedule';

/**
 * Keeps an org's rescan Schedule in the workflow engine in step with its stored schedule.
 * Idempotent and safe for several API replicas at once.
 */
export interface RescanScheduler {
  /**
   * Created when missing, updated when it differs, left alone when it matches. `listed`: the
   * fingerprint `list` gave for it; when it matches the schedule's, nothing is read or written.
   */
  apply(
    orgId: string,
    schedule: RecurringSchedule,
    listed?: string | null,
  ): Promise<'created' | 'updated' | 'unchanged'>;
  remove(orgId: string): Promise<void>;
  /**
   * The org ids of every rescan Schedule the engine holds, each with the fingerprint of the settings
   * it was last written with (a reconciler skips those that match without reading each one).
   */
  list(): Promise<ReadonlyMap<string, string | null>>;
}
