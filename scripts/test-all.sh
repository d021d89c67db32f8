#!/usr/bin/env bash
# Everything CI runs: lint, typecheck, unit, integration and e2e tests, after the same set-up
# `npm run up` does (npm dependencies, Temporal CLI). Each Jest suite that needs services
# creates its own test database and Temporal dev server (test/support/global-setup.ts).
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

require_node
ensure_node_modules
ensure_temporal
export NODE_ENV=test
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/repoguard_test}"

REPORT_DIR="$STATE_DIR/test-reports"
rm -rf "$REPORT_DIR"
mkdir -p "$REPORT_DIR"

step() {
  log "$1"
  shift
  "$@"
}

step "lint" npm run --silent lint
step "typecheck" npx tsc -p tsconfig.json --noEmit
for suite in unit integration e2e; do
  step "$suite tests" npx jest -c "jest.$suite.config.js" --json --outputFile "$REPORT_DIR/$suite.json"
done

# One closing line over all suites, in the plain form CI tools read.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(`${process.argv[1]}/${file}`, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
' "$REPORT_DIR"
