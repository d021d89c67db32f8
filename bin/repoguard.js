#!/usr/bin/env node
// The `repoguard` command (package.json "bin"): `npx repoguard <command>` in a checkout, or
// `node bin/repoguard.js`. No npm script runs in between, so stdout holds only what the command
// prints (`npm run repoguard` adds its "> repoguard@…" banner there, which breaks JSON output).
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'apps/cli/src/main.ts');
const built = path.join(root, 'dist/apps/cli/src/main.js');

/** SWC is a development dependency: a production install (npm ci --omit=dev) runs the build. */
function swcAvailable() {
  try {
    require.resolve('@swc-node/register', { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

// A checkout runs its TypeScript as it is now (a dist/ left from an earlier build may be stale);
// REPOGUARD_CLI_BUILD=dist runs the build instead.
if (process.env.REPOGUARD_CLI_BUILD !== 'dist' && existsSync(source) && swcAvailable()) {
  // From any directory: SWC reads the path aliases (@repoguard/*) from the project's tsconfig.
  process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.json');
  // import() stays native, as in tsc's output: ESM-only packages cannot be require()d.
  process.env.SWC_NODE_IGNORE_DYNAMIC = '1';
  require(require.resolve('@swc-node/register', { paths: [root] }));
  require(source);
} else if (existsSync(built)) {
  require(built);
} else {
  process.stderr.write(
    'repoguard: the CLI is neither runnable from source (install the dependencies: npm ci) nor built (npm run build)\n',
  );
  process.exitCode = 2;
}
