import type { Client } from '@temporalio/client';
import { RESCAN_ORG_WORKFLOW, rescanScheduleId, type RescanOrgInput } from '@repoguard/contract';
import type { RecurringSchedule, RescanScheduler } from '@repoguard/domain';
import { deleteSchedule, ensureCalendarSchedule, listSchedules } from './calendar-schedule';

export interface TemporalRescanSchedulerOptions {
  /** Where rescanOrgWorkflow runs (the scan task queue). */
  readonly taskQueue: string;
  readonly catchupWindowMs?: number;
  /** Default 10 minutes: orgs that chose the same hour do not all start their scans at once. */
  readonly jitterMs?: number;
}

const PREFIX = rescanScheduleId('');
const DAY_MS = 24 * 60 * 60 * 1000;

/** Each org's Temporal Schedule `org-rescan:<org id>`, starting rescanOrgWorkflow. */
export class TemporalRescanScheduler implements RescanScheduler {
  constructor(
    private readonly client: Client,
    private readonly options: TemporalRescanSchedulerOptions,
  ) {}

  apply(
    orgId: string,
    schedule: RecurringSchedule,
    listed?: string | null,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const input: RescanOrgInput = { orgId };
    return ensureCalendarSchedule(
      this.client,
      {
        scheduleId: rescanScheduleId(orgId),
        orgId,
        schedule,
        workflowType: RESCAN_ORG_WORKFLOW,
        args: [input],
        taskQueue: this.options.taskQueue,
        catchupWindowMs: this.options.catchupWindowMs ?? DAY_MS,
        jitterMs: this.options.jitterMs ?? 10 * 60 * 1000,
        memo: { kind: 'org_rescan', org_id: orgId },
      },
      listed,
    );
  }

  async remove(orgId: string): Promise<void> {
    await deleteSchedule(this.client, rescanScheduleId(orgId));
  }

  list(): Promise<ReadonlyMap<string, string | null>> {
    return listSchedules(this.client, PREFIX, this.options.taskQueue);
  }
}
