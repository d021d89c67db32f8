import type { RecurringSchedule } from './recurring-schedule';
import type { RescanSchedule } from './rescan-schedule';

/** The orgs' rescan schedules (`rescan_schedules`, one per org), in the unit of work's transaction. */
export interface RescanScheduleRepository {
  get(orgId: string): Promise<RescanSchedule | null>;
  /** Creates or replaces the org's schedule. */
  put(orgId: string, schedule: RecurringSchedule, updatedBy: string): Promise<RescanSchedule>;
  /** False when the org had none. */
  remove(orgId: string): Promise<boolean>;
  /** Every org's schedule in org id order, after `afterOrgId` (the system's reconciler pages with it). */
  page(afterOrgId: string | null, limit: number): Promise<RescanSchedule[]>;
}
