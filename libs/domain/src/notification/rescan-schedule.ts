import type { RecurringSchedule } from './recurring-schedule';

/**
 * An org's periodic rescan of its repositories' default branches (for repositories without push
 * webhooks), run by the Temporal Schedule `org-rescan:<org id>`.
 */
export interface RescanSchedule {
  readonly org_id: string;
  readonly schedule: RecurringSchedule;
  readonly updated_by: string | null;
  readonly updated_at: Date;
}
