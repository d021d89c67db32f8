// One closing line over all suites' JSON reports (Jest's and Playwright's), in the plain
// "N passed, N failed, N skipped" form CI tools read. Exits non-zero when anything failed or
// nothing ran. A file of its own, not `node -e '…'`, so that no quote in it can end the shell string.
import fs from 'node:fs';
import path from 'node:path';

const [reportDir, leftOut] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of fs.readdirSync(reportDir)) {
  if (!file.endsWith('.json')) continue;
  const report = JSON.parse(fs.readFileSync(path.join(reportDir, file), 'utf8'));
  if (report.stats) {
    // Playwright's report: a flaky test passed only on a retry, and none are configured.
    passed += report.stats.expected;
    failed += report.stats.unexpected + report.stats.flaky;
    skipped += report.stats.skipped;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
if (Number(leftOut)) console.log(`\n${leftOut} test files left out (no ../shared/osv)`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
