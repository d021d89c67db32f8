// Prebuilds the workflow bundles that production workers load (WORKFLOW_BUNDLE_PATH): the one named,
// with the tracing interceptors, and beside it one without them for workers that do not trace.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflows, untracedBundlePath } from '../libs/infrastructure/src/temporal/workflow-bundler';

const target = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');

async function main(): Promise<void> {
  mkdirSync(path.dirname(target), { recursive: true });
  for (const [file, tracing] of [
    [target, true],
    [untracedBundlePath(target), false],
  ] as const) {
    const code = await bundleWorkflows({ tracing });
    writeFileSync(file, code);
    console.log(`workflow bundle written to ${file} (${Math.round(code.length / 1024)} KiB)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
