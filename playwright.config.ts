// The dashboard's browser tests (test/web/*.pw.ts) under Playwright's own runner, driving Debian's
// Chromium (CHROMIUM_PATH, set by scripts/lib.sh ensure_chromium): browser downloads are not
// possible here, so the runner is pointed at the installed executable. The stack each test starts
// is the real one (API process, Temporal, PostgreSQL), as in the Jest e2e suite.
import { defineConfig } from '@playwright/test';

// The stack's code (MikroORM entities, class-validator configs) uses TypeScript's legacy decorators
// and definite-assignment fields, which Playwright's Babel transform refuses: SWC compiles those
// files, as it does for Jest and the benches, and Playwright only the browser test files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@swc-node/register');
// In each test worker (this config loads there too), what Jest's setupFiles do for the e2e suite:
// a private CLI cache folder, and Temporal's per-state INFO lines kept out of the console.
if (process.env['TEST_WORKER_INDEX'] !== undefined) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./test/support/test-cache-dir');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./test/support/temporal-logging');
}

const reportDir = process.env['REPOGUARD_TEST_REPORT_DIR'];

export default defineConfig({
  testDir: 'test/web',
  testMatch: '**/*.pw.ts',
  // Each file starts its own API stack; two at once would only share the machine's two cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  globalSetup: './test/support/playwright-global-setup.ts',
  build: { external: ['**/libs/**', '**/apps/**', '**/test/support/**', '**/test/stand-ins/**'] },
  reporter: reportDir ? [['list'], ['json', { outputFile: `${reportDir}/browser.json` }]] : [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium' },
    trace: 'off',
  },
});
