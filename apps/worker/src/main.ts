import { tracing } from './tracing';
import 'reflect-metadata';
import { loadConfig } from '@repoguard/infrastructure';
import { WorkerConfig } from './config/worker.config';
import { runWorker } from './worker.runner';

async function main(): Promise<void> {
  await runWorker(loadConfig(WorkerConfig));
}

void main()
  .then(
    () => 0,
    (error: unknown) => {
      // Config errors already name each variable; print them without a stack.
      console.error(error instanceof Error && 'code' in error ? error.message : error);
      return 1;
    },
  )
  // The last spans (the scan that was finishing) are still buffered: export them before exiting.
  .then(async (code) => {
    await tracing?.shutdown();
    process.exit(code);
  });
