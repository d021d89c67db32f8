import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import {
  ADVISORY_SYNC_WORKFLOW_ID,
  SYNC_ADVISORIES_WORKFLOW,
  type SyncAdvisoriesInput,
  type syncAdvisoriesWorkflowType,
} from '@repoguard/contract';

export const ADVISORY_SYNC_SCHEDULE_ID = 'advisory-sync';

export interface AdvisorySyncScheduleOptions {
  readonly input: SyncAdvisoriesInput;
  readonly intervalHours: number;
  readonly scheduleId?: string;
  /** The sync workflow's task queue (the scan queue: the worker polls it for workflows). */
  readonly taskQueue: string;
}

/**
 * Creates the Temporal Schedule that syncs advisories every `intervalHours`, or brings an existing
 * one to these settings. A sync still running when the next is due is not doubled (SKIP).
 */
export async function ensureAdvisorySyncSchedule(
  client: Client,
  options: AdvisorySyncScheduleOptions,
): Promise<'created' | 'updated'> {
  const scheduleId = options.scheduleId ?? ADVISORY_SYNC_SCHEDULE_ID;
  const action: ScheduleOptionsStartWorkflowAction<syncAdvisoriesWorkflowType> = {
    type: 'startWorkflow',
    workflowType: SYNC_ADVISORIES_WORKFLOW,
    workflowId: `${ADVISORY_SYNC_WORKFLOW_ID}:${scheduleId}`,
    taskQueue: options.taskQueue,
    args: [options.input],
  };
  const spec = { intervals: [{ every: `${options.intervalHours} hours` as const }] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP };
  const handle = client.schedule.getHandle(scheduleId);
  try {
    await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    await client.schedule.create({ scheduleId, spec, action, policies });
    return 'created';
  }
  await handle.update((previous) => ({ ...previous, spec, action, policies }));
  return 'updated';
}
