/* global process, module */
// Names what a finished run left open, so a leak shows up in CI's log instead of stalling it:
// the integration and e2e configs force Jest to exit once the run and its report are written (a
// Temporal worker or connection a test forgot to close kept one CI run waiting until its timeout).
// `npx jest --detectOpenHandles <file>` then finds the test that opened it.
class OpenHandlesReporter {
  onRunComplete() {
    // stdin/stdout/stderr and the run's own timers are always there; anything else was left by a test.
    const left = process
      .getActiveResourcesInfo()
      .filter((kind) => kind !== 'TTYWrap' && kind !== 'PipeWrap' && kind !== 'Timeout');
    if (left.length === 0) return;
    const counts = new Map();
    for (const kind of left) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const summary = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
    process.stderr.write(`\nStill open after the run (Jest exits regardless): ${summary}\n`);
  }
}

module.exports = OpenHandlesReporter;
