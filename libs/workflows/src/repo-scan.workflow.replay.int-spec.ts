import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// A scan recorded from a real run (test/scan/repo-scan.e2e-spec.ts with RECORD_HISTORY set).
// Replaying it catches a change to the workflow that would break scans already in flight; when a
// change is meant to, guard it with `patched()` or record a new history. The replay runs in its
// own Node process: the SDK's history JSON conversion does not work inside Jest's module sandbox.
const REPO_ROOT = path.resolve(__dirname, '../../..');
const RECORDED = path.join(REPO_ROOT, 'test/fixtures/histories/repo-scan-completed.json');

function replay(file: string) {
  return spawnSync(process.execPath, ['-r', '@swc-node/register', 'scripts/replay-history.ts', file], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
}

describe('repoScanWorkflow determinism', () => {
  it('replays a recorded scan history', () => {
    const result = replay(RECORDED);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/replayed .*repo-scan-completed\.json/);
  });

  it('refuses a history the workflow no longer matches', () => {
    const history = JSON.parse(readFileSync(RECORDED, 'utf8')) as {
      events: { activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } }[];
    };
    // Pretend the recorded run scheduled a different first step.
    history.events.find(
      (e) => e.activityTaskScheduledEventAttributes,
    )!.activityTaskScheduledEventAttributes!.activityType!.name = 'someOtherActivity';
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'repoguard-replay-')), 'changed.json');
    writeFileSync(file, JSON.stringify(history));
    const result = replay(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/replay failed: DeterminismViolationError/);
  });
});
