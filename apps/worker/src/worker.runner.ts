import * as os from 'node:os';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NativeConnection, Worker } from '@temporalio/worker';
import { readFile } from 'node:fs/promises';
import type { Activities } from '@repoguard/activities';
import { workflowBundlerOptions, workflowsSourcePath } from '@repoguard/infrastructure';
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
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, identity), {
    logger: ['log', 'error', 'warn'],
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
