import { createServer } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityInterceptorsFactory, NativeConnection, TelemetryOptions } from '@temporalio/worker';
import {
  MigrationsHealthCheck,
  PostgresHealthCheck,
  ScanMetricsQuery,
  scanMetricsInterceptor,
  TemporalHealthCheck,
  WorkerMetrics,
} from '@repoguard/infrastructure';
import type { WorkerConfig } from '../config/worker.config';
import { startMetricsServer } from './metrics-server';

const logger = new Logger('Metrics');

/**
 * The SDK's Prometheus exporter on a loopback port (any free one unless configured): the worker's
 * /metrics appends its text, so one scrape target serves both. Call before `Runtime.install`.
 */
export async function sdkMetricsTelemetry(
  config: WorkerConfig,
): Promise<{ telemetryOptions: TelemetryOptions; sdkMetricsUrl: string }> {
  const port = config.WORKER_SDK_METRICS_PORT || (await freeLoopbackPort());
  const bindAddress = `127.0.0.1:${port}`;
  return {
    telemetryOptions: { metrics: { prometheus: { bindAddress } } },
    sdkMetricsUrl: `http://${bindAddress}/metrics`,
  };
}

/** For `Worker.create({ interceptors: { activity } })`: scan phase timings and scan outcomes. */
export function metricsActivityInterceptors(app: INestApplicationContext): ActivityInterceptorsFactory[] {
  return [scanMetricsInterceptor(app.get(WorkerMetrics), app.get(ScanMetricsQuery), warn)];
}

/** Starts the worker's metrics port; `close` stops it and the probe's own Temporal connection. */
export async function startWorkerObservability(
  config: WorkerConfig,
  app: INestApplicationContext,
  connection: NativeConnection,
  sdkMetricsUrl: string,
): Promise<{ close(): Promise<void> }> {
  const metrics = app.get(WorkerMetrics);
  metrics.watchQueue({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    rematchTaskQueue: config.rematchTaskQueue,
  });
  const em = app.get(EntityManager);
  const temporal = new TemporalHealthCheck(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  const server = await startMetricsServer({
    host: config.WORKER_METRICS_HOST,
    port: config.WORKER_METRICS_PORT,
    registry: metrics.registry,
    checks: [new PostgresHealthCheck(em), new MigrationsHealthCheck(em), temporal],
    sdkMetricsUrl,
    log: (message) => logger.log(message),
    warn,
  });
  return {
    async close() {
      await server.close();
      await temporal.close();
    },
  };
}

function warn(message: string): void {
  logger.warn(message);
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
