// Prebuilds the workflow bundle that production workers load (WORKFLOW_BUNDLE_PATH).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflows } from '../libs/infrastructure/src/temporal/workflow-bundler';

const target = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');

bundleWorkflows()
  .then((code) => {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, code);
    console.log(`workflow bundle written to ${target} (${Math.round(code.length / 1024)} KiB)`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
