import { createHash } from 'node:crypto';
import {
  DAYS_OF_WEEK,
  MONTHS,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type Range,
  type ScheduleDescription,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { RepoGuardOrgId } from '@repoguard/contract';
import type { RecurringSchedule } from '@repoguard/domain';
import { isConflict, updateWithConflictToken } from './advisory-sync-schedule';

/** A Temporal Schedule that starts one workflow at an hour of every day, or of one weekday, in a timezone. */
export interface CalendarScheduleSettings {
  readonly scheduleId: string;
  readonly orgId: string;
  readonly schedule: RecurringSchedule;
  readonly workflowType: string;
  readonly args: readonly unknown[];
  readonly taskQueue: string;
  /** A run missed while Temporal was down is still taken this long after its time; older ones are not. */
  readonly catchupWindowMs: number;
  /** Runs start up to this long after the hour: many orgs' rescans at 02:00 do not start together. */
  readonly jitterMs: number;
  /** Shown with the Schedule in the Web UI (which rule, which org). */
  readonly memo: Record<string, string>;
}

// Several writers (API replicas reconciling together) settle within a few rounds.
const UPDATE_ATTEMPTS = 5;

/**
 * What this code last wrote, kept in the Schedule's note: the list of Schedules carries notes, so a
 * reconciler round compares a listed Schedule without describing it. Any change of settings (or of
 * what this code writes, via the version) changes it.
 */
export function calendarScheduleFingerprint(settings: CalendarScheduleSettings): string {
  const { schedule } = settings;
  const written = JSON.stringify({
    v: 1,
    frequency: schedule.frequency,
    hour: schedule.hour,
    weekday: schedule.frequency === 'weekly' ? (schedule.weekday ?? null) : null,
    timezone: schedule.timezone,
    workflowType: settings.workflowType,
    args: settings.args,
    taskQueue: settings.taskQueue,
    catchup: settings.catchupWindowMs,
    jitter: settings.jitterMs,
  });
  return `repoguard:${createHash('sha256').update(written).digest('hex').slice(0, 24)}`;
}

function options(settings: CalendarScheduleSettings) {
  const { schedule } = settings;
  const spec: ScheduleOptions['spec'] = {
    calendars: [
      {
        second: 0,
        minute: 0,
        hour: schedule.hour,
        dayOfWeek: schedule.frequency === 'weekly' ? DAYS_OF_WEEK[schedule.weekday ?? 0]! : '*',
        comment: describeSchedule(schedule),
      },
    ],
    timezone: schedule.timezone,
    jitter: settings.jitterMs,
  };
  const searchAttributes = [{ key: RepoGuardOrgId, value: settings.orgId }];
  const action: ScheduleOptionsStartWorkflowAction<Workflow> = {
    type: 'startWorkflow',
    workflowType: settings.workflowType,
    // The Schedule appends each run's time: one run per firing, named after the Schedule.
    workflowId: settings.scheduleId,
    taskQueue: settings.taskQueue,
    args: [...settings.args],
    typedSearchAttributes: searchAttributes,
  };
  const policies = {
    overlap: ScheduleOverlapPolicy.SKIP,
    catchupWindow: settings.catchupWindowMs,
    pauseOnFailure: false,
  };
  const state = { note: calendarScheduleFingerprint(settings), paused: false };
  return { spec, action, policies, state, searchAttributes };
}

/** "daily at 09:00 Europe/Berlin", "weekly on MONDAY at 07:00 UTC". */
function describeSchedule(schedule: RecurringSchedule): string {
  const at = `${String(schedule.hour).padStart(2, '0')}:00 ${schedule.timezone}`;
  return schedule.frequency === 'weekly'
    ? `weekly on ${DAYS_OF_WEEK[schedule.weekday ?? 0]} at ${at}`
    : `daily at ${at}`;
}

/**
 * Creates the Schedule, or brings an existing one to these settings; `listed` is the note a list
 * showed for it (equal to the fingerprint: nothing is read or written). Safe for several replicas:
 * create-if-absent, then an update only when what is there differs, sent with the conflict token
 * of the description it was compared with (the loser of a race reads again and decides again).
 */
export async function ensureCalendarSchedule(
  client: Client,
  settings: CalendarScheduleSettings,
  listed?: string | null,
): Promise<'created' | 'updated' | 'unchanged'> {
  const wanted = options(settings);
  if (listed !== undefined && listed === wanted.state.note) return 'unchanged';
  const { scheduleId } = settings;
  try {
    await client.schedule.create({
      scheduleId,
      spec: wanted.spec,
      action: wanted.action,
      policies: wanted.policies,
      state: wanted.state,
      // The task queue names the deployment whose reconciler owns it (see listSchedules).
      memo: { ...settings.memo, task_queue: settings.taskQueue },
      typedSearchAttributes: wanted.searchAttributes,
    });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(scheduleId);
  for (let attempt = 1; ; attempt++) {
    const current = await handle.describe();
    if (matches(current, settings, wanted.state.note)) return 'unchanged';
    try {
      await updateWithConflictToken(client, scheduleId, current, {
        spec: wanted.spec,
        action: wanted.action,
        policies: wanted.policies,
        state: wanted.state,
      });
      return 'updated';
    } catch (error) {
      if (attempt >= UPDATE_ATTEMPTS || !isConflict(error)) throw error;
    }
  }
}

export async function deleteSchedule(client: Client, scheduleId: string): Promise<'deleted' | 'absent'> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
    return 'deleted';
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return 'absent';
    throw error;
  }
}

/**
 * Every Schedule whose id starts with `prefix` and that runs on `taskQueue`: the rest of the id,
 * with its note. Another deployment sharing the namespace (its own task queue and database) has
 * its own Schedules, which this one's reconciler must neither count nor delete. From the
 * visibility store, so a Schedule created or deleted a moment ago may be missing or still there;
 * `ensureCalendarSchedule` and `deleteSchedule` read the Schedule itself before they decide.
 */
export async function listSchedules(
  client: Client,
  prefix: string,
  taskQueue: string,
): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  for await (const summary of client.schedule.list({ pageSize: 500 })) {
    if (summary.scheduleId.startsWith(prefix) && summary.memo?.['task_queue'] === taskQueue)
      found.set(summary.scheduleId.slice(prefix.length), summary.state.note ?? null);
  }
  return found;
}

/** What is there is what these settings write (the note alone is not trusted: an operator may edit in the UI). */
function matches(current: ScheduleDescription, settings: CalendarScheduleSettings, note: string): boolean {
  const { spec, action, policies, state } = current;
  const calendar = spec.calendars?.length === 1 ? spec.calendars[0] : undefined;
  const { schedule } = settings;
  return (
    state.note === note &&
    !state.paused &&
    calendar !== undefined &&
    !spec.intervals?.length &&
    spec.timezone === schedule.timezone &&
    same(expand(calendar.hour), [schedule.hour]) &&
    same(expand(calendar.minute), [0]) &&
    same(expand(calendar.second), [0]) &&
    same(
      expand(calendar.dayOfWeek.map((r) => mapRange(r, (day) => DAYS_OF_WEEK.indexOf(day)))),
      schedule.frequency === 'weekly' ? [schedule.weekday ?? 0] : [0, 1, 2, 3, 4, 5, 6],
    ) &&
    same(expand(calendar.dayOfMonth), range(1, 31)) &&
    same(expand(calendar.month.map((r) => mapRange(r, (m) => MONTHS.indexOf(m) + 1))), range(1, 12)) &&
    action.type === 'startWorkflow' &&
    action.workflowType === settings.workflowType &&
    action.workflowId === settings.scheduleId &&
    action.taskQueue === settings.taskQueue &&
    JSON.stringify(action.args) === JSON.stringify(settings.args) &&
    policies.overlap === ScheduleOverlapPolicy.SKIP &&
    policies.catchupWindow === settings.catchupWindowMs
  );
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function mapRange<T>(r: Range<T>, f: (value: T) => number): Range<number> {
  return { start: f(r.start), end: f(r.end), step: r.step };
}

/** The values ranges match (end < start means start; a step under 1 means 1, as Temporal reads them). */
function expand(ranges: readonly Range<number>[]): number[] {
  const values = new Set<number>();
  for (const r of ranges) {
    const end = r.end < r.start ? r.start : r.end;
    const step = r.step < 1 ? 1 : r.step;
    for (let v = r.start; v <= end && values.size < 100; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function same(a: readonly number[], b: readonly number[]): boolean {
  const sorted = [...b].sort((x, y) => x - y);
  return a.length === sorted.length && a.every((value, i) => value === sorted[i]);
}
