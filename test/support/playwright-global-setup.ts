// Playwright's global set-up for the browser tests: the same migrated test database and Temporal
// server the Jest suites get (global-setup.ts), stopped by the function returned here.
import globalSetup from './global-setup';
import globalTeardown from './global-teardown';

export default async function playwrightGlobalSetup(): Promise<() => Promise<void>> {
  await globalSetup();
  return globalTeardown;
}
