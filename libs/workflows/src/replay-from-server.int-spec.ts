import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DefaultLogger, Worker } from '@temporalio/worker';
import {
  REPO_SCAN_WORKFLOW,
  scanRequestedSignal,
  type RepoScanInput,
  type RepoScanResult,
  type ScanRequest,
} from '@repoguard/contract';
import { bundleWorkflows, discardingWorkflowSpanSink } from '@repoguard/infrastructure';
import {
  createTemporalHarness,
  temporalAddress,
  temporalNamespace,
  uniqueName,
  type TemporalHarness,
} from '../../../test/support/temporal-harness';

// The pre-deploy check, `npm run replay -- --from-server`, against the dev server: the runs a
// namespace holds (closed and still open) replayed against the production bundle built from this
// checkout, and a run recorded by other workflow code refused by name. Each test filters on task
// queues of its own (--query), so runs of other test files never count.
const REPO_ROOT = path.resolve(__dirname, '../../..');
const DRIFTED_WORKFLOWS = path.join(REPO_ROOT, 'test/fixtures/workflows/drifted-repo-scan.workflow.ts');

type RepoScan = (input: RepoScanInput) => Promise<RepoScanResult>;

const stubs = {
  fetchManifest: async () => ({
    commitSha: 'c0ffee',
    ref: 'refs/heads/main',
    manifests: [{ path: 'package-lock.json', blobSha: 'blob-1', size: 120 }],
  }),
  parse: async () => ({ snapshotId: 'snapshot-1', dependencies: 1, reused: false }),
  osvQuery: async () => ({ queried: 1, vulnerabilities: 0, fetched: 0 }),
  persist: async () => ({ open: 0, opened: 0, fixed: 0 }),
  evaluatePolicy: async () => ({ status: 'OK', policyVersion: null, reasons: 0 }),
  recordScanFailure: async () => undefined,
  someOtherActivity: async () => 'done',
};

// Built once and handed over with --bundle, as a worker image's WORKFLOW_BUNDLE_PATH would be.
let bundleFile: string;

function replayFromServer(...args: string[]) {
  return spawnSync(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      'scripts/replay-history.ts',
      '--from-server',
      '--address',
      temporalAddress(),
      '--namespace',
      temporalNamespace(),
      '--bundle',
      bundleFile,
      ...args,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
}

describe('npm run replay -- --from-server', () => {
  let temporal: TemporalHarness;
  let productionBundle: { code: string };

  beforeAll(async () => {
    temporal = await createTemporalHarness();
    productionBundle = { code: await bundleWorkflows({ logger: new DefaultLogger('WARN') }) };
    bundleFile = path.join(mkdtempSync(path.join(tmpdir(), 'repoguard-bundle-')), 'workflow-bundle.js');
    writeFileSync(bundleFile, productionBundle.code);
  }, 120_000);
  afterAll(async () => {
    await temporal?.close();
  });

  /** Waits until visibility lists `count` runs for the query (it trails the runs by a moment). */
  async function listed(query: string, count: number): Promise<void> {
    for (let tries = 0; (await temporal.client.workflow.count(query)).count < count; tries++) {
      if (tries > 100) throw new Error(`visibility never listed ${count} runs for ${query}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function request(taskQueue: string, repoId: string, input: Partial<RepoScanInput> = {}) {
    const push: ScanRequest = { trigger: 'push', commitSha: 'c0ffee', requestedBy: 'github:test' };
    return temporal.client.workflow.signalWithStart<RepoScan, [ScanRequest]>(REPO_SCAN_WORKFLOW, {
      workflowId: `repo-scan:${repoId}`,
      taskQueue,
      args: [{ orgId: 'org-1', repoId, owner: 'acme', name: repoId, quietWindowMs: 100, ...input }],
      signal: scanRequestedSignal,
      signalArgs: [push],
    });
  }

  it('replays the closed and the open runs of the namespace and exits 0', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName!);
    const worker = await temporal.createWorker({
      taskQueue,
      activities: stubs,
      workflowBundle: productionBundle,
      sinks: discardingWorkflowSpanSink(),
    });
    const open = await worker.runUntil(async () => {
      await (await request(taskQueue, `${taskQueue}-closed`)).result();
      // Still debouncing when the check runs: an open run the new worker would take over.
      const waiting = await request(taskQueue, `${taskQueue}-open`, {
        quietWindowMs: 600_000,
        maxWaitMs: 600_000,
      });
      await temporal.client.workflow.getHandle(waiting.workflowId).query('status');
      return waiting;
    });
    try {
      const query = `TaskQueue = '${taskQueue}'`;
      await listed(query, 2);

      const result = replayFromServer('--query', query);

      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      expect(result.stdout).toContain(`replayed repo-scan:${taskQueue}-closed (run `);
      expect(result.stdout).toContain(`replayed repo-scan:${taskQueue}-open (run `);
      expect(result.stdout).toContain('2 replayed, 0 failed');

      // --open-only: the runs a deploy takes over, alone.
      const openOnly = replayFromServer('--query', query, '--open-only');
      expect(openOnly.status).toBe(0);
      expect(openOnly.stdout).toContain(`replayed repo-scan:${taskQueue}-open (run `);
      expect(openOnly.stdout).toContain('1 replayed, 0 failed');

      // --workflow-type narrows the check: no sync ran on this queue.
      const none = replayFromServer('--query', query, '--workflow-type', 'syncAdvisoriesWorkflow');
      expect(none.status).toBe(0);
      expect(none.stdout).toContain('0 replayed, 0 failed');
      expect(none.stderr).toContain('no history matched');
    } finally {
      await open.terminate('test over');
    }
  }, 120_000);

  it('exits 1 naming a run the workflow code about to be deployed no longer replays', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName!);
    const drifted = await Worker.create({
      connection: temporal.nativeConnection,
      namespace: temporalNamespace(),
      taskQueue,
      workflowsPath: DRIFTED_WORKFLOWS,
      activities: stubs,
      shutdownGraceTime: '2 seconds',
    });
    const workflowId = `repo-scan:${taskQueue}`;
    await drifted.runUntil(
      temporal.client.workflow.execute(REPO_SCAN_WORKFLOW, {
        workflowId,
        taskQueue,
        args: [{ orgId: 'org-1', repoId: taskQueue, owner: 'acme', name: 'drifted' }],
      }),
    );
    const query = `TaskQueue = '${taskQueue}'`;
    await listed(query, 1);

    const result = replayFromServer('--query', query, '--limit', '5');

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`replay failed: ${workflowId} \\(run [0-9a-f-]+\\): DeterminismViolationError`),
    );
    expect(result.stdout).toContain('0 replayed, 1 failed');
  }, 120_000);
});
