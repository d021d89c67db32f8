import 'reflect-metadata';
import { loadConfig } from '@repoguard/infrastructure';
import { WorkerConfig } from './config/worker.config';
import { runWorker } from './worker.runner';

async function main(): Promise<void> {
  await runWorker(loadConfig(WorkerConfig));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // Config errors already name each variable; print them without a stack.
    console.error(error instanceof Error && 'code' in error ? error.message : error);
    process.exit(1);
  },
);
