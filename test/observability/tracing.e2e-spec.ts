// Traces across processes: the API and the worker run as real processes (instrumentation hooks
// `require`, which Jest's module sandbox bypasses) and export to an in-memory OTLP collector.
import { randomBytes, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OsvRecord } from '@repoguard/domain';
import { bundleWorkflows } from '@repoguard/infrastructure';
import { startGithubStandIn, type GithubStandIn } from '../stand-ins/github-stand-in';
import {
  SPAN_KIND,
  startOtlpCollectorStandIn,
  type CollectedSpan,
  type OtlpCollectorStandIn,
} from '../stand-ins/otlp-collector-stand-in';
import { startOsvStandIn, type OsvStandIn } from '../stand-ins/osv-stand-in';
import { request } from '../support/http';
import { REPO_ROOT, startApp, type RunningProcess } from '../support/processes';
import { temporalAddress, temporalNamespace, uniqueName } from '../support/temporal-harness';

const ACTIVITIES = ['fetchManifest', 'parse', 'osvQuery', 'persist', 'evaluatePolicy'];

const ADVISORY: OsvRecord = {
  id: 'GHSA-trace-test-0001',
  modified: '2026-01-01T00:00:00Z',
  summary: 'an advisory the traced scan finds',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'requests' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.20.0' }] }],
    },
  ],
};

interface Stack {
  readonly url: string;
  readonly adminToken: string;
  readonly api: RunningProcess;
  readonly worker: RunningProcess;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('OpenTelemetry traces', () => {
  let github: GithubStandIn;
  let osv: OsvStandIn;
  let collector: OtlpCollectorStandIn;
  let bundlePath: string;

  beforeAll(async () => {
    github = await startGithubStandIn();
    osv = await startOsvStandIn([ADVISORY]);
    collector = await startOtlpCollectorStandIn();
    // The production path: a prebuilt bundle, which always holds the tracing interceptors.
    bundlePath = path.join(mkdtempSync(path.join(tmpdir(), 'repoguard-traces-')), 'workflow-bundle.js');
    writeFileSync(bundlePath, await bundleWorkflows());
  });
  afterAll(async () => {
    await collector?.close();
    await osv?.close();
    await github?.close();
  });

  async function startStack(
    name: string,
    env: Record<string, string>,
    { prebuiltBundle }: { prebuiltBundle: boolean },
  ): Promise<Stack> {
    const taskQueue = uniqueName(name);
    const adminToken = `admin-${randomBytes(24).toString('hex')}`;
    const port = await freePort();
    const shared = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: process.env['DATABASE_URL'],
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: temporalNamespace(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      GITHUB_API_URL: github.url,
      INTEGRATION_TIMEOUT_MS: '5000',
      ...env,
    };
    const api = startApp('apps/api/src/main.ts', {
      ...shared,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      REPOGUARD_ADMIN_TOKEN: adminToken,
      SCAN_QUIET_WINDOW_MS: '200',
      SCAN_MAX_WAIT_MS: '2000',
    });
    const worker = startApp('apps/worker/src/main.ts', {
      ...shared,
      OSV_API_URL: osv.url,
      WORKER_IDENTITY: `e2e-${taskQueue}`,
      WORKER_METRICS_PORT: '0',
      ...(prebuiltBundle ? { WORKFLOW_BUNDLE_PATH: bundlePath } : {}),
    });
    const url = `http://127.0.0.1:${port}`;
    const stack: Stack = {
      url,
      adminToken,
      api,
      worker,
      async stop() {
        api.child.kill('SIGTERM');
        worker.child.kill('SIGTERM');
        await Promise.all([api.exited(20_000), worker.exited(20_000)]);
      },
    };
    try {
      await waitForApi(stack);
      // The API tells which scan serves a request by asking the workflow: a worker must be polling.
      await worker.waitForOutput(/polling/, 90_000);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  async function waitForApi(stack: Stack): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (stack.api.child.exitCode !== null) throw new Error(`API exited:\n${stack.api.output()}`);
      try {
        if ((await fetch(`${stack.url}/health/live`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`API not up within 60 s:\n${stack.api.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Bootstraps an org, connects a repo of the GitHub stand-in and scans it through the API. */
  async function scanThroughApi(stack: Stack, repoName: string): Promise<{ repoId: string }> {
    const call = async (token: string, method: string, p: string, body?: unknown) =>
      request(`${stack.url}/api/v1${p}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const repo = await github.createRepo('acme', repoName);
    await repo.commit({ 'requirements.txt': 'requests==2.19.0\n' });

    const slug = `traces-${randomUUID().slice(0, 8)}`;
    const org = await call(stack.adminToken, 'POST', '/orgs', {
      name: 'Traces',
      slug,
      owner_email: `owner-${slug}@example.test`,
    });
    expect(org.status).toBe(201);
    const token: string = org.body.token;
    const connected = await call(token, 'POST', `/orgs/${org.body.org.id}/repos`, {
      repo: `acme/${repoName}`,
    });
    expect(connected.status).toBe(201);
    const repoId: string = connected.body.id;

    const requested = await call(token, 'POST', `/repos/${repoId}/scan`, {});
    expect(requested.status).toBe(202);
    expect(requested.body.scan_id).toEqual(expect.any(String));
    let scan = (await call(token, 'GET', `/scans/${requested.body.scan_id}`)).body;
    for (let i = 0; i < 360 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await call(token, 'GET', `/scans/${requested.body.scan_id}`)).body;
    }
    expect(scan).toMatchObject({ status: 'COMPLETED', error: null });
    return { repoId };
  }

  const isScanRequest = (repoId: string) => (span: CollectedSpan) =>
    span.service === 'repoguard-api' &&
    span.kind === SPAN_KIND.SERVER &&
    (span.attributes['http.method'] ?? span.attributes['http.request.method']) === 'POST' &&
    String(span.attributes['http.target'] ?? span.attributes['url.path']).endsWith(`/repos/${repoId}/scan`);

  const callsTo = (baseUrl: string) => (span: CollectedSpan) =>
    span.kind === SPAN_KIND.CLIENT && JSON.stringify(span.attributes).includes(new URL(baseUrl).host);

  const isQuery = (span: CollectedSpan) => span.attributes['db.system'] === 'postgresql';

  const TRACED_RUNS = [
    // Production's path. The batch delay outlasts the test: the spans still buffered when the scan
    // completes (the workflow's among them) arrive only if both processes flush on SIGTERM.
    { label: 'a prebuilt workflow bundle, spans flushed at exit', prebuiltBundle: true, delay: '600000' },
    // Development's path (interceptors bundled at start); spans exported every 200 ms while running.
    { label: 'workflows bundled at start, spans exported as they end', prebuiltBundle: false, delay: '200' },
  ];

  it.each(TRACED_RUNS)(
    'with $label: one trace links the scan request, the workflow, its five activities, the GitHub and OSV calls and the queries',
    async ({ prebuiltBundle, delay }) => {
      const stack = await startStack(
        'traces-on',
        { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: delay },
        { prebuiltBundle },
      );
      const complete = (repoId: string) => (spans: CollectedSpan[]) => {
        const root = spans.find(isScanRequest(repoId));
        if (!root) return false;
        const names = new Set(spans.filter((s) => s.traceId === root.traceId).map((s) => s.name));
        return (
          ACTIVITIES.every((a) => names.has(`RunActivity:${a}`)) && names.has('RunWorkflow:repoScanWorkflow')
        );
      };
      let repoId: string;
      try {
        ({ repoId } = await scanThroughApi(stack, `traced-${randomUUID().slice(0, 6)}`));
        if (!prebuiltBundle) await collector.waitFor(complete(repoId));
      } finally {
        await stack.stop();
      }
      await collector.waitFor(complete(repoId), 5_000);

      const root = collector.spans().find(isScanRequest(repoId))!;
      const trace = collector.trace(root.traceId);
      const names = trace.map((s) => s.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'SignalWithStartWorkflow:repoScanWorkflow',
          'RunWorkflow:repoScanWorkflow',
          ...ACTIVITIES.map((a) => `RunActivity:${a}`),
        ]),
      );
      expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['repoguard-api', 'repoguard-worker']));
      // The activities' own calls, made by the worker inside them.
      const worker = trace.filter((s) => s.service === 'repoguard-worker');
      expect(worker.filter(callsTo(osv.url)).length).toBeGreaterThan(0);
      expect(worker.filter(callsTo(github.url)).length).toBeGreaterThan(0);
      expect(worker.filter(isQuery).length).toBeGreaterThan(0);
      expect(trace.filter((s) => s.service === 'repoguard-api').filter(isQuery).length).toBeGreaterThan(0);

      // One tree: the request is the only root, and every other span's parent is in the trace.
      const ids = new Set(trace.map((s) => s.spanId));
      expect(trace.filter((s) => !s.parentSpanId)).toEqual([root]);
      expect(trace.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId)).map((s) => s.name)).toEqual([]);
      const byId = new Map(trace.map((s) => [s.spanId, s]));
      const ancestry = (span: CollectedSpan): string[] => {
        const parent = byId.get(span.parentSpanId);
        return parent ? [parent.name, ...ancestry(parent)] : [];
      };
      const osvQuery = trace.find((s) => s.name === 'RunActivity:osvQuery')!;
      expect(ancestry(osvQuery)).toEqual(
        expect.arrayContaining([
          'StartActivity:osvQuery',
          'RunWorkflow:repoScanWorkflow',
          'SignalWithStartWorkflow:repoScanWorkflow',
          root.name,
        ]),
      );
      expect(ancestry(worker.find(callsTo(osv.url))!)).toContain('RunActivity:osvQuery');
    },
  );

  it('exports nothing when OTEL_EXPORTER_OTLP_ENDPOINT is unset, and scans with the bundle that holds the interceptors', async () => {
    const before = collector.requests;
    const stack = await startStack(
      'traces-off',
      {
        // What an exporter would use if anything set one up anyway.
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces`,
        OTEL_SERVICE_NAME: 'should-not-appear',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      { prebuiltBundle: true },
    );
    try {
      await scanThroughApi(stack, `untraced-${randomUUID().slice(0, 6)}`);
    } finally {
      // Both processes flush on their way out when tracing is on: after this, nothing can be pending.
      await stack.stop();
    }
    expect(collector.requests).toBe(before);
    expect(stack.worker.output()).not.toMatch(/unregistered external sink/);
  });

  it('the bundle with the tracing interceptors replays a recorded scan history', () => {
    // In a child process: the SDK's history conversion does not work inside Jest's module sandbox.
    const script = `
      const { readFileSync } = require('node:fs');
      const { DefaultLogger, Runtime, Worker } = require('@temporalio/worker');
      const { discardingWorkflowSpanSink } = require('./libs/infrastructure/src/telemetry/temporal-tracing');
      Runtime.install({ logger: new DefaultLogger('ERROR') });
      Worker.runReplayHistory(
        { workflowBundle: { code: readFileSync(process.argv[1], 'utf8') }, sinks: discardingWorkflowSpanSink() },
        JSON.parse(readFileSync('test/fixtures/histories/repo-scan/completed-e2e.json', 'utf8')),
      ).then(() => console.log('replayed'), (e) => { console.error(e.name + ': ' + e.message); process.exit(1); });
    `;
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script, bundlePath], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout.trim() }).toEqual({
      status: 0,
      stderr: '',
      stdout: 'replayed',
    });
  });
});
