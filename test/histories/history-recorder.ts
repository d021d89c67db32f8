// What the history recorder (scripts/record-histories.ts) gives each scenario: a client, a worker
// on the *production* workflow bundle with the scenario's stub activities, and the history of a
// run once it has closed. Imports by relative path: the script runs outside Jest's mapper.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { discardingWorkflowSpanSink } from '../../libs/infrastructure/src/telemetry/temporal-tracing';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One recorded history per branch file: `<workflow folder>/<branch>.json`. */
export type RecordedHistories = Readonly<Record<string, History>>;

export interface HistoryScenario {
  /** Folder under test/fixtures/histories: one per workflow type. */
  readonly workflow:
    | 'repo-scan'
    | 'sync-advisories'
    | 'expire-triage'
    | 'deliver-notification'
    | 'send-digest'
    | 'rescan-org'
    | 'pr-scan';
  /** The files this scenario writes (a continue-as-new also writes the run it continued into). */
  readonly branches: readonly string[];
  /** What the workflow does in it, for the log and the folder's README. */
  readonly covers: string;
  record(context: RecordingContext): Promise<RecordedHistories>;
}

export interface RecordingContext {
  readonly client: Client;
  /** A task queue (and id prefix) of this scenario's own. */
  readonly taskQueue: string;
  /**
   * Runs a worker on the production bundle (and, when asked, an activities-only one on a second
   * queue) with the given activities until `work` settles.
   */
  withWorker<T>(
    activities: object,
    work: () => Promise<T>,
    options?: { readonly activitiesOnlyQueue?: string },
  ): Promise<T>;
  /**
   * Runs an activities-only worker on `taskQueue` until `work` settles: inside `withWorker`, for a
   * queue whose worker comes only once the scenario has seen the run do without one.
   */
  withActivityWorker<T>(taskQueue: string, activities: object, work: () => Promise<T>): Promise<T>;
  /** The history of one run, closed or not. */
  history(workflowId: string, runId: string): Promise<History>;
}

export function recordingContext(
  client: Client,
  connection: NativeConnection,
  workflowBundle: { code: string },
  scenario: HistoryScenario,
): RecordingContext {
  const taskQueue = `record-${scenario.workflow}-${scenario.branches[0]}-${randomUUID().slice(0, 8)}`;
  return {
    client,
    taskQueue,
    async withWorker<T>(
      activities: object,
      work: () => Promise<T>,
      options: { readonly activitiesOnlyQueue?: string } = {},
    ) {
      const workers = await Promise.all([
        // As production creates it: the prebuilt bundle (interceptors inside) and, tracing off,
        // the sink that drops the tracing interceptors' spans.
        Worker.create({
          connection,
          namespace: client.options.namespace,
          taskQueue,
          workflowBundle,
          activities,
          sinks: discardingWorkflowSpanSink(),
          shutdownGraceTime: '2 seconds',
        }),
        ...(options.activitiesOnlyQueue
          ? [
              Worker.create({
                connection,
                namespace: client.options.namespace,
                taskQueue: options.activitiesOnlyQueue,
                activities,
                shutdownGraceTime: '2 seconds',
              }),
            ]
          : []),
      ]);
      return workers.reduce<Promise<T>>((until, worker) => worker.runUntil(until), work());
    },
    async withActivityWorker<T>(activitiesQueue: string, activities: object, work: () => Promise<T>) {
      const worker = await Worker.create({
        connection,
        namespace: client.options.namespace,
        taskQueue: activitiesQueue,
        activities,
        shutdownGraceTime: '2 seconds',
      });
      return worker.runUntil(work());
    },
    async history(workflowId, runId) {
      return client.workflow.getHandle(workflowId, runId).fetchHistory();
    },
  };
}

/**
 * A history as short names, one per event: `ActivityTaskScheduled:fetchManifest`,
 * `MarkerRecorded:core_patch`, `WorkflowExecutionContinuedAsNew`... what the recorder asserts on.
 */
export function eventNames(history: History): string[] {
  return (history.events ?? []).map(eventName);
}

function eventName(event: HistoryEvent): string {
  const type = temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType);
  const name = type
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  const detail =
    event.activityTaskScheduledEventAttributes?.activityType?.name ??
    event.markerRecordedEventAttributes?.markerName ??
    event.workflowExecutionSignaledEventAttributes?.signalName;
  return detail ? `${name}:${detail}` : name;
}

/** The patch ids a history's `core_patch` markers record. */
export function patchIds(history: History): string[] {
  return (history.events ?? []).flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
}

/** The task queue each activity of the history was scheduled on, in order. */
export function activityQueues(history: History): { activity: string; taskQueue: string }[] {
  return (history.events ?? []).flatMap((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    return scheduled
      ? [{ activity: scheduled.activityType?.name ?? '', taskQueue: scheduled.taskQueue?.name ?? '' }]
      : [];
  });
}

/** Fails the recording (nothing is written) when a history does not show the branch it is for. */
export function expectBranch(
  branch: string,
  history: History,
  expectation: {
    readonly has?: readonly string[];
    readonly lacks?: readonly string[];
    readonly count?: Readonly<Record<string, number>>;
  },
): void {
  const names = eventNames(history);
  const problems = [
    ...(expectation.has ?? []).filter((name) => !names.includes(name)).map((name) => `no ${name}`),
    ...(expectation.lacks ?? [])
      .filter((name) => names.includes(name))
      .map((name) => `an unexpected ${name}`),
    ...Object.entries(expectation.count ?? {})
      .filter(([name, count]) => names.filter((n) => n === name).length !== count)
      .map(([name, count]) => `${names.filter((n) => n === name).length} × ${name}, expected ${count}`),
  ];
  if (problems.length > 0) {
    throw new Error(
      `${branch}: the history does not exercise its branch: ${problems.join('; ')}\n  ${names.join('\n  ')}`,
    );
  }
}

/** The last event's name: how the run ended (completed, failed, continued as new). */
export function closingEvent(history: History): string {
  const names = eventNames(history);
  return names[names.length - 1] ?? '';
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
