import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { temporalAddress, temporalNamespace } from '../../../test/support/temporal-harness';

// The history recorder (npm run record-histories) against the dev server: it writes the branches
// it is asked for, and a history already recorded is left exactly as it is, never re-recorded.
const REPO_ROOT = path.resolve(__dirname, '../../..');

describe('npm run record-histories', () => {
  it('records the missing branches into their workflow folders and never rewrites a recorded one', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'repoguard-histories-'));
    const recordedBefore = path.join(out, 'repo-scan', 'completed.json');
    mkdirSync(path.dirname(recordedBefore), { recursive: true });
    writeFileSync(recordedBefore, '{"recorded":"by earlier code"}\n');

    const result = spawnSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'scripts/record-histories.ts',
        '--address',
        temporalAddress(),
        '--namespace',
        temporalNamespace(),
        '--only',
        'completed,nothing-new',
        '--out',
        out,
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );

    expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
    expect(result.stdout).toContain('kept    repo-scan/completed');
    expect(readFileSync(recordedBefore, 'utf8')).toBe('{"recorded":"by earlier code"}\n');
    const written = JSON.parse(
      readFileSync(path.join(out, 'sync-advisories', 'nothing-new.json'), 'utf8'),
    ) as {
      events: {
        eventType: string;
        workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
      }[];
    };
    expect(written.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe(
      'syncAdvisoriesWorkflow',
    );
    expect(written.events.at(-1)?.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  }, 180_000);
});
