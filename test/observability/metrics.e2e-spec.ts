// Issue 7's metrics acceptance: the API and the real worker process on one task queue, one scan
// that completes after a failed OSV call, one request over the rate limit; then both /metrics
// scrapes show the counters moved, the queue-depth gauges, and the Temporal SDK's own metrics.
import { randomBytes } from 'node:crypto';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { type RunningProcess, startApp } from '../support/processes';
import { temporalAddress, temporalNamespace } from '../support/temporal-harness';

// One advisory for the one pinned package: the scan has a finding to count.
const ADVISORY: OsvRecord = {
  schema_version: '1.6.0',
  id: 'GHSA-metr-ics0-0001',
  modified: '2024-03-01T10:00:00Z',
  published: '2024-02-01T10:00:00Z',
  summary: 'flask advisory',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'flask' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }],
    },
  ],
};

/** Every sample of `name` whose labels include all of `labels`, summed. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let found: number | undefined;
  for (const line of text.split('\n')) {
    const match = /^([a-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ?? '';
    if (!Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) continue;
    found = (found ?? 0) + Number(match[3]);
  }
  return found;
}

describe('metrics on the API and the worker after a scan, a failed OSV call and a 429', () => {
  let stack: ApiStack;
  let worker: RunningProcess;
  let workerUrl: string;
  const metricsToken = `metrics-${randomBytes(24).toString('hex')}`;

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'metrics',
      advisories: [ADVISORY],
      env: { RATE_LIMIT_PER_MINUTE: '5', METRICS_TOKEN: metricsToken },
    });
    // Scans of this test run on the worker process only, so its counters see all of them.
    await stack.harness.stopWorker();
    worker = startApp('apps/worker/src/main.ts', {
      NODE_ENV: 'test',
      DATABASE_URL: process.env['DATABASE_URL'],
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: temporalNamespace(),
      TEMPORAL_TASK_QUEUE: stack.harness.taskQueue,
      GITHUB_API_URL: stack.harness.github.url,
      OSV_API_URL: stack.harness.osv.url,
      INTEGRATION_TIMEOUT_MS: '10000',
      WORKER_METRICS_PORT: '0',
    });
    await worker.waitForOutput(/metrics listening on http:\/\/[^\s"]+/, 90_000);
    workerUrl = /metrics listening on (http:\/\/[^\s"]+)/.exec(worker.output())![1]!;
  }, 120_000);
  afterAll(async () => {
    if (worker) {
      worker.child.kill('SIGTERM');
      await worker.exited(30_000).catch(() => worker.child.kill('SIGKILL'));
    }
    await stack?.close();
  });

  it('counts the scan, its phases, the OSV failure and the 429; both expose the queue depth', async () => {
    const repo = await stack.harness.github.createRepo('acme', 'metered');
    await repo.commit({ 'requirements.txt': 'flask==0.12\n' });
    const org = await stack.createOrg('Metrics');
    const api = (method: string, path: string, body?: unknown) =>
      stack.call(org.ownerToken, method, `/api/v1${path}`, body);

    const connected = await api('POST', `/orgs/${org.orgId}/repos`, { repo: 'acme/metered' });
    expect(connected.status).toBe(201);
    const repoId: string = connected.body.id;
    // OSV's first answer is a 500: the match step fails once and its retry succeeds.
    stack.harness.osv.failNext(1, 500);
    const requested = await api('POST', `/repos/${repoId}/scan`, {});
    expect(requested.status).toBe(202);
    const result = await stack.harness.temporal.client.workflow
      .getHandle(requested.body.workflow_id)
      .result();
    expect(result).toMatchObject({ phase: 'COMPLETED' });

    // The owner's token has used 2 of its 5 requests a minute: the sixth is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await api('GET', `/orgs/${org.orgId}/repos/${repoId}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const workerText = await (await fetch(`${workerUrl}/metrics`)).text();
    expect(sample(workerText, 'repoguard_scans_total', { status: 'completed' })).toBe(1);
    expect(sample(workerText, 'repoguard_scans_total', { status: 'failed' })).toBe(0);
    expect(
      sample(workerText, 'repoguard_scan_duration_seconds_count', { outcome: 'completed', trigger: 'api' }),
    ).toBe(1);
    expect(
      sample(workerText, 'repoguard_integration_failures_total', { integration: 'osv', reason: '5xx' }),
    ).toBe(1);
    expect(
      sample(workerText, 'repoguard_integration_requests_total', { integration: 'osv' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sample(workerText, 'repoguard_integration_requests_total', { integration: 'github' }),
    ).toBeGreaterThan(0);
    expect(
      sample(workerText, 'repoguard_scan_phase_duration_seconds_count', { phase: 'match', outcome: 'error' }),
    ).toBe(1);
    for (const phase of ['fetch', 'parse', 'match', 'persist', 'evaluate']) {
      expect([
        phase,
        sample(workerText, 'repoguard_scan_phase_duration_seconds_count', { phase, outcome: 'ok' }),
      ]).toEqual([phase, 1]);
    }
    // Across every org in the test database: at least this scan's finding.
    expect(sample(workerText, 'repoguard_findings_open')).toBeGreaterThanOrEqual(1);
    expect(sample(workerText, 'repoguard_findings_open', { severity: 'critical' })).toBeDefined();
    expect(
      sample(workerText, 'repoguard_scan_queue_backlog', { task_queue: stack.harness.taskQueue }),
    ).toBeDefined();
    expect(
      sample(workerText, 'repoguard_scan_workflows_running', { task_queue: stack.harness.taskQueue }),
    ).toBeDefined();
    expect(workerText).toMatch(/^temporal_\w+/m);
    expect(workerText).toContain('repoguard_worker_process_cpu_seconds_total');

    const apiText = await (
      await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
    ).text();
    expect(sample(apiText, 'repoguard_rate_limit_rejections_total', { kind: 'token' })).toBe(1);
    // Connecting the repository asked GitHub whether it exists.
    expect(
      sample(apiText, 'repoguard_integration_requests_total', { integration: 'github' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(apiText, 'repoguard_scan_queue_backlog', { task_queue: stack.harness.taskQueue }),
    ).toBeDefined();
    expect(
      sample(apiText, 'repoguard_scan_workflows_running', { task_queue: stack.harness.taskQueue }),
    ).toBeDefined();
    expect(apiText).not.toMatch(/^temporal_/m);
  });

  it("answers the worker's liveness and readiness on its metrics port", async () => {
    const live = await fetch(`${workerUrl}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${workerUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const report = await ready.json();
    expect(report).toMatchObject({
      status: 'ok',
      checks: {
        postgres: { status: 'up' },
        migrations: { status: 'up' },
        temporal: { status: 'up' },
      },
    });
    expect((await fetch(`${workerUrl}/nowhere`)).status).toBe(404);
  });
});
