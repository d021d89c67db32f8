import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DELIVER_NOTIFICATION_WORKFLOW,
  EXPIRE_TRIAGE_WORKFLOW,
  PR_SCAN_WORKFLOW,
  REPO_SCAN_WORKFLOW,
  RESCAN_ORG_WORKFLOW,
  SEND_DIGEST_WORKFLOW,
  SYNC_ADVISORIES_WORKFLOW,
} from '@repoguard/contract';
import { historyScenarios } from '../../../test/histories/scenarios';

// Every history under test/fixtures/histories (one per branch of each workflow, recorded from
// earlier code and never replaced: see the folder's README) replayed against the production
// bundle, interceptors included, as `npm run replay` does before a deploy. A change that breaks one
// would break runs in flight: guard it with `patched()`. The replay runs in its own Node process:
// the SDK's history JSON conversion does not work inside Jest's module sandbox.
const REPO_ROOT = path.resolve(__dirname, '../../..');
const HISTORIES = path.join(REPO_ROOT, 'test/fixtures/histories');
const WORKFLOW_TYPES: Readonly<Record<string, string>> = {
  'repo-scan': REPO_SCAN_WORKFLOW,
  'sync-advisories': SYNC_ADVISORIES_WORKFLOW,
  'expire-triage': EXPIRE_TRIAGE_WORKFLOW,
  'deliver-notification': DELIVER_NOTIFICATION_WORKFLOW,
  'send-digest': SEND_DIGEST_WORKFLOW,
  'rescan-org': RESCAN_ORG_WORKFLOW,
  'pr-scan': PR_SCAN_WORKFLOW,
};

interface HistoryJson {
  events: {
    workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
    activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  }[];
}

const recorded = readdirSync(HISTORIES, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.json'))
  .sort();
const read = (name: string) => JSON.parse(readFileSync(path.join(HISTORIES, name), 'utf8')) as HistoryJson;

function replay(...args: string[]) {
  return spawnSync(process.execPath, ['-r', '@swc-node/register', 'scripts/replay-history.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    // The bundle is always built from source here, never a stale WORKFLOW_BUNDLE_PATH.
    env: { ...process.env, WORKFLOW_BUNDLE_PATH: '' },
  });
}

describe('recorded workflow histories', () => {
  let result: ReturnType<typeof replay>;

  beforeAll(() => {
    result = replay(HISTORIES);
  }, 180_000);

  it('replay, every one, against the production bundle', () => {
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain(`${recorded.length} replayed, 0 failed`);
  });

  it.each(recorded)('%s replays', (name) => {
    expect(result.stdout).toContain(`replayed ${path.join(HISTORIES, name)}\n`);
  });

  it('hold a history of every branch the recorder knows, each in its workflow type folder', () => {
    const expected = historyScenarios.flatMap((s) =>
      s.branches.map((b) => path.join(s.workflow, `${b}.json`)),
    );
    expect(expected.filter((name) => !recorded.includes(name))).toEqual([]);
    const misfiled = recorded.filter((name) => {
      const type = read(name).events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
      return type === undefined || WORKFLOW_TYPES[path.dirname(name)] !== type;
    });
    expect(misfiled).toEqual([]);
  });

  it('refuses a history the workflow no longer matches, naming it, and still replays the others', () => {
    const history = read(path.join('repo-scan', 'completed.json'));
    // Pretend the recorded run scheduled a different first step.
    history.events.find(
      (e) => e.activityTaskScheduledEventAttributes,
    )!.activityTaskScheduledEventAttributes!.activityType!.name = 'someOtherActivity';
    const folder = mkdtempSync(path.join(tmpdir(), 'repoguard-replay-'));
    const changed = path.join(folder, 'changed.json');
    writeFileSync(changed, JSON.stringify(history));
    const intact = path.join(HISTORIES, 'sync-advisories', 'nothing-new.json');

    const refused = replay(changed, intact);

    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `replay failed: ${changed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: DeterminismViolationError`,
      ),
    );
    expect(refused.stdout).toContain(`replayed ${intact}\n`);
    expect(refused.stdout).toContain('1 replayed, 1 failed');
  }, 180_000);
});
