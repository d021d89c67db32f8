import * as os from 'node:os';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { readFile } from 'node:fs/promises';
import type { Activities } from '@repoguard/activities';
import {
  activeTracing,
  configuredSecrets,
  createLogger,
  logLevelOf,
  OrgScanSlots,
  orgScanSlotsInterceptor,
  prebuiltBundleFor,
  rematchStandsBackInterceptor,
  SCAN_STEP_GAP_MS,
  ScanStepsInFlight,
  scanStepsInFlightInterceptor,
  PinoNestLogger,
  PinoTemporalLogger,
  scanLogAttributesInterceptor,
  withWorkerTracing,
  workflowBundlerOptions,
  workflowCorrelationInterceptorsPath,
  workflowsSourcePath,
} from '@repoguard/infrastructure';
import { WORKER_SHUTDOWN_FORCE_AFTER_GRACE_SECONDS, type WorkerConfig } from './config/worker.config';
import {
  metricsActivityInterceptors,
  sdkMetricsTelemetry,
  startWorkerObservability,
} from './observability/worker-observability';
import { ACTIVITIES, WorkerModule } from './worker.module';

/**
 * Runs the worker until it is told to stop. Temporal's runtime turns SIGINT/SIGTERM into a
 * graceful shutdown: polling stops, running activities get the grace period, then `run()`
 * resolves; the Temporal connection closes next and the database last.
 */
export async function runWorker(config: WorkerConfig): Promise<void> {
  const logger = new Logger('Worker');
  // Before anything runs: the workers' threads (the SDK's core, the parser pool) inherit it.
  if (config.WORKER_NICE > 0) os.setPriority(config.WORKER_NICE);
  const identity = config.WORKER_IDENTITY ?? `repoguard-worker@${os.hostname()}:${process.pid}`;
  const log = createLogger({
    service: 'worker',
    level: logLevelOf(config),
    pretty: config.NODE_ENV === 'development',
    secrets: configuredSecrets(config),
  });
  const sdkMetrics = await sdkMetricsTelemetry(config);
  // The SDK's lines and the workflows' and activities' own logs come out as the same JSON lines,
  // through the same redaction (activity failures carry error messages).
  Runtime.install({
    telemetryOptions: sdkMetrics.telemetryOptions,
    logger: new PinoTemporalLogger(log),
  });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, identity), {
    logger: new PinoNestLogger(log),
  });
  try {
    const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    try {
      const activities = app.get<Activities>(ACTIVITIES);
      const activityInterceptors = [scanLogAttributesInterceptor, ...metricsActivityInterceptors(app)];
      // Both workers share this process: the re-matches stand back while a scan's steps run.
      const scanStepsInFlight = new ScanStepsInFlight();
      const polls = (queue: 'scans' | 'rematch') =>
        config.WORKER_QUEUES === 'all' || config.WORKER_QUEUES === queue;
      // Without tracing, the prebuilt bundle without the tracing interceptors, when built.
      const bundleFile = config.WORKFLOW_BUNDLE_PATH
        ? prebuiltBundleFor(config.WORKFLOW_BUNDLE_PATH, activeTracing() !== undefined)
        : null;
      // Temporal's OpenTelemetry interceptors and span sink, only while tracing is on.
      const worker = polls('scans')
        ? await Worker.create(
            withWorkerTracing({
              connection,
              namespace: config.TEMPORAL_NAMESPACE,
              taskQueue: config.TEMPORAL_TASK_QUEUE,
              identity,
              activities,
              // A prebuilt bundle holds the workflow interceptors already; from source they are named here.
              interceptors: {
                // The org's share before the metrics: a step turned away (ORG_BUSY) never ran, so it is not timed.
                activity: [
                  scanLogAttributesInterceptor,
                  orgScanSlotsInterceptor(new OrgScanSlots(config.SCAN_SLOTS_PER_ORG)),
                  scanStepsInFlightInterceptor(scanStepsInFlight),
                  ...metricsActivityInterceptors(app),
                ],
                ...(config.WORKFLOW_BUNDLE_PATH
                  ? {}
                  : { workflowModules: [workflowCorrelationInterceptorsPath()] }),
              },
              ...drainOptions(config),
              maxConcurrentWorkflowTaskExecutions: config.SCAN_WORKFLOW_TASK_SLOTS,
              maxConcurrentActivityTaskExecutions: config.SCAN_ACTIVITY_SLOTS,
              ...rateOptions(config.SCAN_ACTIVITIES_PER_SECOND, config.SCAN_QUEUE_ACTIVITIES_PER_SECOND),
              ...(bundleFile
                ? { workflowBundle: { code: await readFile(bundleFile, 'utf8') } }
                : { workflowsPath: workflowsSourcePath(), bundlerOptions: workflowBundlerOptions() }),
            }),
          )
        : undefined;
      // Re-matches after an advisory sync run their steps here: a queue of its own with few slots,
      // so thousands of them never hold up a push's scan on the main queue.
      const rematchWorker = polls('rematch')
        ? await Worker.create(
            withWorkerTracing({
              connection,
              namespace: config.TEMPORAL_NAMESPACE,
              taskQueue: config.rematchTaskQueue,
              identity,
              activities,
              interceptors: {
                activity: [
                  ...(config.REMATCH_STANDS_BACK_MS > 0
                    ? [
                        rematchStandsBackInterceptor(scanStepsInFlight, {
                          graceMs: SCAN_STEP_GAP_MS,
                          maxHoldMs: config.REMATCH_STANDS_BACK_MS,
                        }),
                      ]
                    : []),
                  ...activityInterceptors,
                ],
              },
              maxConcurrentActivityTaskExecutions: config.REMATCH_CONCURRENCY,
              // A re-match is one activity that a push cancels without waiting (its scan is closed
              // at once): the news comes with a heartbeat's answer, and the sooner it comes, the
              // sooner the re-match stops competing with the push (its writes are refused anyway).
              maxHeartbeatThrottleInterval: REMATCH_HEARTBEAT_THROTTLE,
              ...rateOptions(
                config.REMATCH_ACTIVITIES_PER_SECOND,
                config.REMATCH_QUEUE_ACTIVITIES_PER_SECOND,
              ),
              ...drainOptions(config),
            }),
          )
        : undefined;
      const queues = [
        ...(worker ? [config.TEMPORAL_TASK_QUEUE] : []),
        ...(rematchWorker ? [`${config.rematchTaskQueue} (re-match steps)`] : []),
      ];
      logger.log(
        `polling ${config.TEMPORAL_NAMESPACE}/${queues.join(' and ')} at ${config.TEMPORAL_ADDRESS} as ${identity}` +
          (config.WORKER_NICE > 0 ? ` at nice ${config.WORKER_NICE}` : '') +
          (worker ? `, workflows ${bundleFile ?? 'bundled from source'}` : ''),
      );
      const observability = await startWorkerObservability(config, app, connection, sdkMetrics.sdkMetricsUrl);
      try {
        await Promise.all([worker?.run(), rematchWorker?.run()]);
      } finally {
        await observability.close();
      }
      logger.log('stopped: no task left running');
    } finally {
      await connection.close();
    }
  } finally {
    await app.close();
  }
}

/** How often, at most, a re-match step's heartbeats reach the server (the SDK's default: 60 s, or 80% of the heartbeat timeout). */
export const REMATCH_HEARTBEAT_THROTTLE = '1 second';

/** The grace for running activities, then a bounded wait for the cancelled ones (see `drainSeconds`). */
function drainOptions(config: WorkerConfig): { shutdownGraceTime: string; shutdownForceTime: string } {
  return {
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS} seconds`,
    shutdownForceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS + WORKER_SHUTDOWN_FORCE_AFTER_GRACE_SECONDS} seconds`,
  };
}

/** Unset rates stay unset: the SDK then applies no limit. */
function rateOptions(
  perWorker: number | undefined,
  perQueue: number | undefined,
): { maxActivitiesPerSecond?: number; maxTaskQueueActivitiesPerSecond?: number } {
  return {
    ...(perWorker === undefined ? {} : { maxActivitiesPerSecond: perWorker }),
    ...(perQueue === undefined ? {} : { maxTaskQueueActivitiesPerSecond: perQueue }),
  };
}
