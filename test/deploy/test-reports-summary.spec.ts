import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// `npm test` ends with one line summed over Jest's and Playwright's JSON reports. The last clean
// run's suites all passed and the command still failed: the summing code was a `node -e '…'`
// string that a quote in a comment ended. It is a file now; these run it as test-all.sh does.
const REPO_ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(REPO_ROOT, 'scripts/summarize-test-reports.mjs');

const jestReport = (passed: number, failed: number, pending = 0) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: pending,
  numTodoTests: 0,
});
const playwright = (expected: number, unexpected: number, flaky = 0) => ({
  stats: { expected, unexpected, flaky, skipped: 0 },
});

function summarize(reports: Record<string, object>, leftOut = 0) {
  const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-reports-'));
  try {
    for (const [name, report] of Object.entries(reports)) {
      writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(report));
    }
    const run = spawnSync(process.execPath, [SCRIPT, dir, String(leftOut)], { encoding: 'utf8' });
    return { status: run.status, out: run.stdout.trim(), err: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the closing line of npm test', () => {
  it('sums Jest and Playwright reports and succeeds when nothing failed', () => {
    const result = summarize({
      unit: jestReport(10, 0, 2),
      e2e: jestReport(5, 0),
      browser: playwright(16, 0),
    });
    expect(result.err).toBe('');
    expect(result.out).toBe('31 passed, 0 failed, 2 skipped');
    expect(result.status).toBe(0);
  });

  it('fails on a failed Jest test, a failed browser test, or one that passed only on a retry', () => {
    expect(summarize({ unit: jestReport(10, 1), browser: playwright(16, 0) })).toMatchObject({
      status: 1,
      out: '26 passed, 1 failed, 0 skipped',
    });
    expect(summarize({ unit: jestReport(10, 0), browser: playwright(15, 1) }).status).toBe(1);
    expect(summarize({ unit: jestReport(10, 0), browser: playwright(15, 0, 1) }).status).toBe(1);
  });

  it('fails when nothing ran, and says how many files were left out without ../shared/osv', () => {
    expect(summarize({}).status).toBe(1);
    const result = summarize({ unit: jestReport(3, 0) }, 2);
    expect(result.out).toContain('2 test files left out (no ../shared/osv)');
    expect(result.status).toBe(0);
  });

  it('is what test-all.sh runs for its last line', () => {
    const script = spawnSync('bash', ['-n', path.join(REPO_ROOT, 'scripts/test-all.sh')], {
      encoding: 'utf8',
    });
    expect(script.status).toBe(0);
    expect(readFileSync(path.join(REPO_ROOT, 'scripts/test-all.sh'), 'utf8')).toMatch(
      /^node scripts\/summarize-test-reports\.mjs "\$REPORT_DIR" "\$\{#readers\[@\]\}"$/m,
    );
  });
});
