import type { Client } from '@temporalio/client';
import { digestScheduleId, SEND_DIGEST_WORKFLOW, type SendDigestInput } from '@repoguard/contract';
import type { DigestScheduler, NotificationRule } from '@repoguard/domain';
import { deleteSchedule, ensureCalendarSchedule, listSchedules } from './calendar-schedule';

export interface TemporalDigestSchedulerOptions {
  /** Where sendDigestWorkflow runs (the scan task queue: the worker polls it for workflows). */
  readonly taskQueue: string;
  /** Default a day: a digest missed in an outage is sent late rather than a day (or week) later. */
  readonly catchupWindowMs?: number;
}

const PREFIX = digestScheduleId('');
const DAY_MS = 24 * 60 * 60 * 1000;

/** Each digest rule's Temporal Schedule `notification-digest:<rule id>`, starting sendDigestWorkflow. */
export class TemporalDigestScheduler implements DigestScheduler {
  constructor(
    private readonly client: Client,
    private readonly options: TemporalDigestSchedulerOptions,
  ) {}

  apply(rule: NotificationRule, listed?: string | null): Promise<'created' | 'updated' | 'unchanged'> {
    if (!rule.digest) throw new Error(`rule ${rule.id} has no digest schedule`);
    const input: SendDigestInput = { ruleId: rule.id };
    return ensureCalendarSchedule(
      this.client,
      {
        scheduleId: digestScheduleId(rule.id),
        orgId: rule.org_id,
        schedule: rule.digest,
        workflowType: SEND_DIGEST_WORKFLOW,
        args: [input],
        taskQueue: this.options.taskQueue,
        catchupWindowMs: this.options.catchupWindowMs ?? DAY_MS,
        // At the hour the user chose.
        jitterMs: 0,
        memo: { kind: 'notification_digest', org_id: rule.org_id, rule_id: rule.id },
      },
      listed,
    );
  }

  async remove(ruleId: string): Promise<void> {
    await deleteSchedule(this.client, digestScheduleId(ruleId));
  }

  list(): Promise<ReadonlyMap<string, string | null>> {
    return listSchedules(this.client, PREFIX, this.options.taskQueue);
  }
}
