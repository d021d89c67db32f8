import { randomUUID } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import {
  compileUpdatedScheduleOptions,
  encodeScheduleAction,
  encodeSchedulePolicies,
  encodeScheduleSpec,
  encodeScheduleState,
} from '@temporalio/client/lib/schedule-helpers';
import {
  ADVISORY_SYNC_WORKFLOW_ID,
  SYNC_ADVISORIES_WORKFLOW,
  type SyncAdvisoriesInput,
  type syncAdvisoriesWorkflowType,
} from '@repoguard/contract';

export const ADVISORY_SYNC_SCHEDULE_ID = 'advisory-sync';

/**
 * Both for the schedule's own runs and for a manual trigger: a sync is never doubled. SKIP rather
 * than BUFFER_ONE because the running sync reads the same sources; a buffered one would download
 * every export again right after it, usually to write nothing, and a manual trigger during a
 * running sync can simply follow that one (the CLI waits for it).
 */
export const ADVISORY_SYNC_OVERLAP = ScheduleOverlapPolicy.SKIP;

export interface AdvisorySyncScheduleOptions {
  readonly input: SyncAdvisoriesInput;
  readonly intervalHours: number;
  readonly scheduleId?: string;
  /** The sync workflow's task queue (the scan queue: the worker polls it for workflows). */
  readonly taskQueue: string;
}

// Several writers (API replicas starting together) settle within a few rounds.
const UPDATE_ATTEMPTS = 5;

/**
 * Creates the Temporal Schedule that syncs advisories every `intervalHours`, or brings an existing
 * one to these settings. Safe for several API replicas at once: create-if-absent (an AlreadyExists
 * answer means another replica created it), then an update only when the settings differ, sent
 * with the conflict token of the description it was compared with, so two replicas with different
 * settings cannot interleave (the loser reads again and decides again).
 */
export async function ensureAdvisorySyncSchedule(
  client: Client,
  options: AdvisorySyncScheduleOptions,
): Promise<'created' | 'updated' | 'unchanged'> {
  const scheduleId = options.scheduleId ?? ADVISORY_SYNC_SCHEDULE_ID;
  const action: ScheduleOptionsStartWorkflowAction<syncAdvisoriesWorkflowType> = {
    type: 'startWorkflow',
    workflowType: SYNC_ADVISORIES_WORKFLOW,
    workflowId: `${ADVISORY_SYNC_WORKFLOW_ID}:${scheduleId}`,
    taskQueue: options.taskQueue,
    args: [options.input],
  };
  const intervalMs = options.intervalHours * 3_600_000;
  const spec = { intervals: [{ every: intervalMs }] };
  // A run missed while Temporal was down is still taken within one interval; older ones are not
  // (the next regular run is nearer), instead of the SDK's default of a year.
  const policies = { overlap: ADVISORY_SYNC_OVERLAP, catchupWindow: intervalMs, pauseOnFailure: false };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }

  const handle = client.schedule.getHandle(scheduleId);
  for (let attempt = 1; ; attempt++) {
    const current = await handle.describe();
    if (sameSettings(current, { intervalMs, action, policies })) return 'unchanged';
    try {
      await updateWithConflictToken(client, scheduleId, current, { spec, action, policies });
      return 'updated';
    } catch (error) {
      // Another writer changed it since it was read: read again and decide again.
      if (attempt >= UPDATE_ATTEMPTS || !isConflict(error)) throw error;
    }
  }
}

/** Without advisory sources there is nothing to sync: the schedule goes (if there was one). */
export async function removeAdvisorySyncSchedule(
  client: Client,
  scheduleId: string = ADVISORY_SYNC_SCHEDULE_ID,
): Promise<'deleted' | 'absent'> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
    return 'deleted';
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return 'absent';
    throw error;
  }
}

/**
 * A manual sync through the schedule that owns syncs: triggered now unless one is running
 * (SKIP), and the run that serves the request, the new one or the one already running, is
 * returned. Null when there is no schedule (the caller may start a sync itself).
 */
export async function triggerAdvisorySync(
  client: Client,
  options: { readonly scheduleId?: string; readonly waitMs?: number } = {},
): Promise<{ workflowId: string; runId: string; joined: boolean } | null> {
  const handle = client.schedule.getHandle(options.scheduleId ?? ADVISORY_SYNC_SCHEDULE_ID);
  let before: ScheduleDescription;
  try {
    before = await handle.describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
  const running = before.info.runningActions[0];
  if (running) {
    return {
      workflowId: running.workflow.workflowId,
      runId: running.workflow.firstExecutionRunId,
      joined: true,
    };
  }
  const taken = before.info.numActionsTaken;
  await handle.trigger(ADVISORY_SYNC_OVERLAP);
  // The schedule starts the run asynchronously: wait until it shows (or a concurrent one).
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    const now = await handle.describe();
    const started =
      now.info.runningActions[0] ?? (now.info.numActionsTaken > taken ? latest(now) : undefined);
    if (started) {
      return {
        workflowId: started.workflow.workflowId,
        runId: started.workflow.firstExecutionRunId,
        joined: false,
      };
    }
    if (Date.now() > deadline) throw new Error('the advisory sync schedule did not start a run in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function latest(description: ScheduleDescription) {
  const action = description.info.recentActions.at(-1)?.action;
  return action?.type === 'startWorkflow' ? action : undefined;
}

function sameSettings(
  current: ScheduleDescription,
  wanted: {
    intervalMs: number;
    action: ScheduleOptionsStartWorkflowAction<syncAdvisoriesWorkflowType>;
    policies: { overlap: ScheduleOverlapPolicy; catchupWindow: number };
  },
): boolean {
  const { spec, action, policies } = current;
  return (
    spec.intervals?.length === 1 &&
    spec.intervals[0]!.every === wanted.intervalMs &&
    !spec.calendars?.length &&
    action.type === 'startWorkflow' &&
    action.workflowType === SYNC_ADVISORIES_WORKFLOW &&
    action.workflowId === wanted.action.workflowId &&
    action.taskQueue === wanted.action.taskQueue &&
    JSON.stringify(action.args) === JSON.stringify(wanted.action.args) &&
    policies.overlap === wanted.policies.overlap &&
    policies.catchupWindow === wanted.policies.catchupWindow
  );
}

/**
 * The SDK's `handle.update` sends no conflict token (last writer wins); this sends the token of
 * the description the decision was made on, so the server refuses it if anyone wrote since.
 */
export async function updateWithConflictToken(
  client: Client,
  scheduleId: string,
  current: ScheduleDescription,
  wanted: Pick<Parameters<Client['schedule']['create']>[0], 'spec' | 'action' | 'policies' | 'state'>,
): Promise<void> {
  const compiled = compileUpdatedScheduleOptions(scheduleId, { ...current, ...wanted });
  const { namespace, loadedDataConverter, identity } = client.schedule.options;
  const headers = current.raw.schedule?.action?.startWorkflow?.header?.fields ?? {};
  await client.schedule.workflowService.updateSchedule({
    namespace,
    scheduleId,
    schedule: {
      spec: encodeScheduleSpec(compiled.spec),
      action: await encodeScheduleAction(loadedDataConverter, namespace, compiled.action, headers),
      policies: encodeSchedulePolicies(compiled.policies),
      state: encodeScheduleState(compiled.state),
    },
    conflictToken: current.raw.conflictToken ?? null,
    identity,
    requestId: randomUUID(),
  });
}

// gRPC FAILED_PRECONDITION: the server's answer to a stale conflict token.
export const isConflict = (error: unknown): boolean => (error as { code?: number } | null)?.code === 9;
