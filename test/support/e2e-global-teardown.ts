// After the e2e suite: every answer the API gave the tests is checked against the OpenAPI document
// it served (test/support/api-contract). A problem fails the run, naming route, status and JSON path.
import { rmSync } from 'node:fs';
import { RECORD_DIR_ENV } from './api-contract/recorded-response';
import { validateRecordedResponses } from './api-contract/validate-recorded-responses';
import globalTeardown from './global-teardown';

export default async function e2eGlobalTeardown(): Promise<void> {
  await globalTeardown();
  const dir = process.env[RECORD_DIR_ENV];
  if (!dir) return;
  const { checked, problems } = await validateRecordedResponses(dir);
  if (problems.length > 0) {
    throw new Error(
      `${problems.length} way(s) the API's answers differ from its OpenAPI document ` +
        `(${checked} answers checked; records kept in ${dir}). Document the answer on its route ` +
        `(README, "Response schemas") or fix the answer:\n  ${problems.join('\n  ')}`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`\nAPI contract: ${checked} answers match the OpenAPI document`);
}
