import { Gauge, type Registry } from 'prom-client';
import { REPO_SCAN_WORKFLOW } from '@repoguard/contract';

/**
 * The part of a Temporal connection the queue gauges use. Both the client's `Connection` (API)
 * and the worker's `NativeConnection` have it.
 */
export interface TemporalQueueConnection {
  readonly workflowService: {
    describeTaskQueue(request: {
      namespace: string;
      taskQueue: { name: string; kind: number };
      taskQueueType: number;
      reportStats: boolean;
    }): Promise<{
      stats?: {
        approximateBacklogCount?: unknown;
        approximateBacklogAge?: { seconds?: unknown; nanos?: number | null } | null;
      } | null;
    }>;
    countWorkflowExecutions(request: { namespace: string; query: string }): Promise<{ count?: unknown }>;
  };
  withDeadline<T>(deadline: number, fn: () => Promise<T>): Promise<T>;
}

export interface ScanQueueMetricsOptions {
  readonly connection: TemporalQueueConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  /** The queue re-match steps run on: its activity backlog is reported too. */
  readonly rematchTaskQueue?: string;
  /** Told once per kind of failure, not at every scrape. */
  readonly warn: (message: string) => void;
  /** How long a scrape waits for Temporal. Default 2 s. */
  readonly timeoutMs?: number;
}

// temporal.api.enums.v1 values (TaskQueueKind.NORMAL, TaskQueueType.WORKFLOW): named here rather
// than importing @temporalio/proto, which is no direct dependency.
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;
const TASK_QUEUE_TYPE_ACTIVITY = 2;
const TASK_TYPES = { workflow: TASK_QUEUE_TYPE_WORKFLOW, activity: TASK_QUEUE_TYPE_ACTIVITY } as const;
type TaskType = keyof typeof TASK_TYPES;

interface QueueStats {
  readonly taskQueue: string;
  readonly taskType: TaskType;
  readonly backlog: number;
  readonly ageSeconds: number;
}

/**
 * repoguard_scan_queue_backlog{task_queue}, repoguard_scan_workflows_running and the backlog of every
 * queue and task type (repoguard_task_queue_backlog{,_age_seconds}{task_queue,task_type}), read from
 * Temporal at scrape time. A failing read leaves its gauge without a sample for that scrape
 * (never a stale number) and does not fail the scrape.
 */
export function registerScanQueueMetrics(registry: Registry, options: ScanQueueMetricsOptions): void {
  const { connection, namespace, taskQueue, warn } = options;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const warned = new Set<string>();
  const once = (kind: string, error: unknown) => {
    if (warned.has(kind)) return;
    warned.add(kind);
    warn(
      `metrics: could not read the ${kind} from Temporal (${(error as Error).message}); reporting without it`,
    );
  };
  const call = <T>(fn: () => Promise<T>) => connection.withDeadline(Date.now() + timeoutMs, fn);

  // Labelled by queue, which also lets a failed read report no sample rather than a wrong 0.
  const queueGauge = (name: string, help: string, what: string, read: () => Promise<unknown>) =>
    new Gauge({
      name,
      help,
      labelNames: ['task_queue'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        try {
          this.set({ task_queue: taskQueue }, toNumber(await call(read)));
          warned.delete(what);
        } catch (error) {
          once(what, error);
        }
      },
    });

  queueGauge(
    'repoguard_scan_queue_backlog',
    "Workflow tasks waiting on the scan task queue (Temporal's approximate backlog count)",
    'task queue backlog',
    async () =>
      (
        await connection.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
          taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
          reportStats: true,
        })
      ).stats?.approximateBacklogCount,
  );
  // Every queue a scan waits on: its workflow tasks and scan steps on the scan queue, and the
  // re-match steps on theirs. One DescribeTaskQueue per queue and type per scrape, shared by both
  // gauges (prom-client collects them one after the other within the scrape).
  const watched: { taskQueue: string; taskType: TaskType }[] = [
    { taskQueue, taskType: 'workflow' },
    { taskQueue, taskType: 'activity' },
    ...(options.rematchTaskQueue
      ? [{ taskQueue: options.rematchTaskQueue, taskType: 'activity' as const }]
      : []),
  ];
  let lastRead: { at: number; stats: Promise<PromiseSettledResult<QueueStats>[]> } | undefined;
  const readAll = () => {
    if (!lastRead || Date.now() - lastRead.at > 1_000) {
      lastRead = {
        at: Date.now(),
        stats: Promise.allSettled(
          watched.map(async ({ taskQueue: name, taskType }) => {
            const { stats } = await call(() =>
              connection.workflowService.describeTaskQueue({
                namespace,
                taskQueue: { name, kind: TASK_QUEUE_KIND_NORMAL },
                taskQueueType: TASK_TYPES[taskType],
                reportStats: true,
              }),
            );
            const age = stats?.approximateBacklogAge;
            return {
              taskQueue: name,
              taskType,
              backlog: toNumber(stats?.approximateBacklogCount),
              ageSeconds: toNumber(age?.seconds) + (age?.nanos ?? 0) / 1e9,
            };
          }),
        ),
      };
    }
    return lastRead.stats;
  };
  const statsGauge = (name: string, help: string, value: (stats: QueueStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['task_queue', 'task_type'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const results = await readAll();
        for (const result of results) {
          if (result.status === 'rejected') once('task queue stats', result.reason);
          else {
            const stats = result.value;
            this.set({ task_queue: stats.taskQueue, task_type: stats.taskType }, value(stats));
          }
        }
        if (results.every((result) => result.status === 'fulfilled')) warned.delete('task queue stats');
      },
    });
  statsGauge(
    'repoguard_task_queue_backlog',
    "Tasks waiting for a worker, by queue (scan, re-match) and type (workflow, activity): Temporal's approximate count",
    (stats) => stats.backlog,
  );
  statsGauge(
    'repoguard_task_queue_backlog_age_seconds',
    'How long the oldest waiting task has waited, by queue and type (0: nothing waits)',
    (stats) => stats.ageSeconds,
  );

  // Scans are the repo-scan workflows on our queue; the self-check workflow is not one.
  const running = `WorkflowType = '${REPO_SCAN_WORKFLOW}' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'`;
  queueGauge(
    'repoguard_scan_workflows_running',
    'Repo-scan workflows running on the scan task queue (waiting for their quiet window included)',
    'running scan count',
    async () =>
      (await connection.workflowService.countWorkflowExecutions({ namespace, query: running })).count,
  );
}

/** int64 fields arrive as Long objects (or numbers); a backlog never nears 2^53. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  const converted = Number(String(value));
  return Number.isFinite(converted) ? converted : 0;
}
