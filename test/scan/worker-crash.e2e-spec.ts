import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FindingEntity, readOsvExport, ScanEntity, TemporalScanRequester } from '@repoguard/infrastructure';
import { sharedOsvExport } from '../support/shared-osv';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';
import { startApp, type RunningProcess } from '../support/processes';
import { temporalAddress, temporalNamespace, uniqueName } from '../support/temporal-harness';

const ADVISORIES = readOsvExport(sharedOsvExport('npm-ghsa.zip')).records;
const LOCK = readFileSync(
  path.resolve(__dirname, '../fixtures/manifests/ugly/web/package-lock.json'),
  'utf8',
);

describe('a worker killed in the middle of a scan', () => {
  let harness: ScanHarness;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    harness = await startScanHarness({ name: 'worker-crash', advisories: ADVISORIES });
    await harness.stopWorker(); // this test's scans run only on worker processes
  });
  afterAll(async () => {
    workers.forEach((w) => w.child.kill('SIGKILL'));
    await harness?.close();
  });

  it('is replaced by another, and the scan completes with no duplicate findings', async () => {
    const taskQueue = uniqueName('worker-crash-process');
    const startWorker = () => {
      const worker = startApp('apps/worker/src/main.ts', {
        NODE_ENV: 'test',
        DATABASE_URL: process.env['DATABASE_URL'],
        TEMPORAL_ADDRESS: temporalAddress(),
        TEMPORAL_NAMESPACE: temporalNamespace(),
        TEMPORAL_TASK_QUEUE: taskQueue,
        GITHUB_API_URL: harness.github.url,
        OSV_API_URL: harness.osv.url,
        INTEGRATION_TIMEOUT_MS: '20000',
      });
      workers.push(worker);
      return worker;
    };
    const requester = new TemporalScanRequester(harness.temporal.client, taskQueue, {
      quietWindowMs: 200,
      maxWaitMs: 2_000,
      heartbeatTimeoutMs: 2_000,
    });

    const repo = await harness.github.createRepo('acme', 'crashy');
    const sha = await repo.commit({ 'web/package-lock.json': LOCK });
    const target = await harness.connectRepo('acme', 'crashy');

    const first = startWorker();
    await first.waitForOutput(/polling/, 60_000);
    harness.osv.delayNext(1, 15_000); // the first OSV answer comes after the kill
    const receipt = await requester.request(target, { trigger: 'api', requestedBy: 'e2e' });
    const handle = harness.temporal.client.workflow.getHandle(receipt.workflowId, receipt.runId);
    const deadline = Date.now() + 30_000;
    while ((await handle.query<{ phase: string }>('status')).phase !== 'MATCHING') {
      if (Date.now() > deadline) throw new Error('the scan never reached MATCHING');
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGKILL');
    expect(await first.exited(10_000)).toEqual({ code: null, signal: 'SIGKILL' });

    const second = startWorker();
    await second.waitForOutput(/polling/, 60_000);
    const result = await handle.result();
    expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: sha });

    const em = harness.orm.em.fork();
    const findings = await em.find(FindingEntity, { repoId: target.repoId });
    const identities = findings.map((f) => `${f.packageName}@${f.version}|${f.vulnerabilityId}`);
    expect(identities.length).toBeGreaterThan(5);
    expect(new Set(identities).size).toBe(identities.length);
    expect(await em.count(ScanEntity, { repoId: target.repoId })).toBe(1);
    const history = await handle.fetchHistory();
    const attempts = (history.events ?? [])
      .map((e) => e.activityTaskStartedEventAttributes?.attempt)
      .filter((a): a is number => typeof a === 'number');
    expect(Math.max(...attempts)).toBeGreaterThan(1); // the killed step ran again on the second worker
    second.child.kill('SIGTERM');
    await second.exited(30_000);
  });
});
