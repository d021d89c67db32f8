import * as os from 'node:os';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { readFile } from 'node:fs/promises';
import type { Activities } from '@repoguard/activities';
import { redactSecrets } from '@repoguard/domain';
import {
  configuredSecrets,
  RedactingConsoleLogger,
  workflowBundlerOptions,
  workflowsSourcePath,
} from '@repoguard/infrastructure';
import type { WorkerConfig } from './config/worker.config';
import { ACTIVITIES, WorkerModule } from './worker.module';

/**
 * Runs the worker until it is told to stop. Temporal's runtime turns SIGINT/SIGTERM into a
 * graceful shutdown: polling stops, running activities get the grace period, then `run()`
 * resolves; the Temporal connection closes next and the database last.
 */
export async function runWorker(config: WorkerConfig): Promise<void> {
  const logger = new Logger('Worker');
  const identity = config.WORKER_IDENTITY ?? `repoguard-worker@${os.hostname()}:${process.pid}`;
  const secrets = configuredSecrets(config);
  // The SDK's own log lines (activity failures carry error messages) go through the same redaction.
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
      const line = `${new Date().toISOString()} [${level}] ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`;
      process.stderr.write(`${redactSecrets(line, secrets)}\n`);
    }),
  });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, identity), {
    logger: new RedactingConsoleLogger(secrets, { logLevels: ['log', 'error', 'warn'] }),
  });
  try {
    const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    try {
      const worker = await Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        identity,
        activities: app.get<Activities>(ACTIVITIES),
        shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS} seconds`,
        ...(config.WORKFLOW_BUNDLE_PATH
          ? { workflowBundle: { code: await readFile(config.WORKFLOW_BUNDLE_PATH, 'utf8') } }
          : { workflowsPath: workflowsSourcePath(), bundlerOptions: workflowBundlerOptions() }),
      });
      logger.log(
        `polling ${config.TEMPORAL_NAMESPACE}/${config.TEMPORAL_TASK_QUEUE} at ${config.TEMPORAL_ADDRESS} as ${identity}`,
      );
      await worker.run();
      logger.log('stopped: no task left running');
    } finally {
      await connection.close();
    }
  } finally {
    await app.close();
  }
}
