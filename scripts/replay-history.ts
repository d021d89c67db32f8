// Replays workflow histories (JSON as `temporal workflow show --output json` writes it) against the
// current workflow code: exits 1 naming the first history that no longer replays.
// Usage: npm run replay -- history.json [more.json...]
import { readFileSync } from 'node:fs';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import {
  workflowBundlerOptions,
  workflowsSourcePath,
} from '../libs/infrastructure/src/temporal/workflow-bundler';

async function main(files: string[]): Promise<void> {
  if (files.length === 0) throw new Error('usage: replay-history <history.json>...');
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: workflowsSourcePath(),
    webpackConfigHook: workflowBundlerOptions().webpackConfigHook,
    logger: new DefaultLogger('ERROR'),
  });
  for (const file of files) {
    await Worker.runReplayHistory(
      { workflowBundle },
      JSON.parse(readFileSync(file, 'utf8')) as unknown,
      file,
    );
    console.log(`replayed ${file}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`replay failed: ${(error as Error).name}: ${(error as Error).message}`);
  process.exit(1);
});
