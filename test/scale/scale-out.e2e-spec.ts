// Scale-out as production runs it: two worker processes and two API processes against one Temporal
// server, one PostgreSQL and one Redis. Scans requested through either API run on both workers,
// each finding is stored once, and a token's rate limit is one count whichever replica it hits.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { OsvRecord } from '@repoguard/domain';
import { bundleWorkflows } from '@repoguard/infrastructure';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request, type JsonResponse } from '../support/http';
import { packageLockV3 } from '../support/manifest-fixtures';
import { startApp, type RunningProcess } from '../support/processes';
import { temporalAddress, temporalNamespace, uniqueName } from '../support/temporal-harness';
import { startGithubStandIn, type GithubStandIn } from '../stand-ins/github-stand-in';
import { startOsvStandIn, type OsvStandIn } from '../stand-ins/osv-stand-in';

const REPOS = 12;

/** An npm advisory on `name`, every version before 2.0.0 affected. */
const advisory = (id: string, name: string): OsvRecord => ({
  id,
  modified: '2026-01-01T00:00:00Z',
  summary: `${name} is vulnerable`,
  affected: [
    {
      package: { ecosystem: 'npm', name },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
    },
  ],
  database_specific: { severity: 'HIGH' },
});

// Packages of this test only; two advisories on one package, so a finding is told apart by advisory too.
const ADVISORIES = [
  advisory('RG-SCALE-0001', 'rg-scale-alpha'),
  advisory('RG-SCALE-0002', 'rg-scale-alpha'),
  advisory('RG-SCALE-0003', 'rg-scale-beta'),
  advisory('RG-SCALE-0004', 'rg-scale-gamma'),
];

/**
 * Repository i's manifests and the findings they must give, as `advisory|package|version|manifest`.
 * Repositories differ (beta is fixed in every other one, gamma only in the odd ones' service), so a
 * finding stored under the wrong repository would show.
 */
function repoContent(i: number): { files: Record<string, string>; expected: string[] } {
  const beta = i % 2 === 0 ? '1.0.0' : '3.0.0';
  const gamma = i % 2 === 0 ? '2.5.0' : `1.${i}.0`;
  const files = {
    'package-lock.json': packageLockV3({ 'rg-scale-alpha': '1.0.0', 'rg-scale-beta': beta }),
    'svc/package-lock.json': packageLockV3({ 'rg-scale-alpha': '1.0.0', 'rg-scale-gamma': gamma }),
  };
  const expected = [
    'RG-SCALE-0001|rg-scale-alpha|1.0.0|package-lock.json',
    'RG-SCALE-0002|rg-scale-alpha|1.0.0|package-lock.json',
    'RG-SCALE-0001|rg-scale-alpha|1.0.0|svc/package-lock.json',
    'RG-SCALE-0002|rg-scale-alpha|1.0.0|svc/package-lock.json',
    ...(i % 2 === 0 ? ['RG-SCALE-0003|rg-scale-beta|1.0.0|package-lock.json'] : []),
    ...(i % 2 === 1 ? [`RG-SCALE-0004|rg-scale-gamma|1.${i}.0|svc/package-lock.json`] : []),
  ];
  return { files, expected };
}

interface FindingItem {
  vulnerability: { id: string };
  dependency: { name: string; version: string; manifest_path: string };
}

function call(
  api: ApiProcess,
  token: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<JsonResponse> {
  return request(`${api.url}/api/v1${p}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** An org bootstrapped with the admin token through `api`: its id and its owner's token. */
async function createOrg(api: ApiProcess, adminToken: string, label: string) {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  const created = await call(api, adminToken, 'POST', '/orgs', {
    name: label,
    slug,
    owner_email: `owner-${slug}@example.test`,
  });
  expect(created.status).toBe(201);
  return { orgId: created.body.org.id as string, ownerToken: created.body.token as string };
}

describe('two workers and two API replicas on one Temporal and one PostgreSQL', () => {
  const taskQueue = uniqueName('scale-out');
  const identities = [`${taskQueue}-worker-a`, `${taskQueue}-worker-b`];
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  let github: GithubStandIn;
  let osv: OsvStandIn;
  let connection: Connection;
  let client: Client;
  let bundleDir: string;
  const workers: RunningProcess[] = [];
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    github = await startGithubStandIn();
    osv = await startOsvStandIn(ADVISORIES);
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection, namespace: temporalNamespace() });
    // Built once and loaded by both workers, as production does: two bundlings at start would
    // double the start-up work on a small CI machine.
    bundleDir = mkdtempSync(path.join(tmpdir(), 'repoguard-scale-out-'));
    const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
    writeFileSync(bundlePath, await bundleWorkflows());

    const temporalEnv = {
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: temporalNamespace(),
      TEMPORAL_TASK_QUEUE: taskQueue,
    };
    for (const identity of identities) {
      workers.push(
        startApp('apps/worker/src/main.ts', {
          NODE_ENV: 'test',
          DATABASE_URL: process.env['DATABASE_URL'],
          ...temporalEnv,
          WORKER_IDENTITY: identity,
          WORKER_METRICS_PORT: '0',
          WORKFLOW_BUNDLE_PATH: bundlePath,
          GITHUB_API_URL: github.url,
          OSV_API_URL: osv.url,
          INTEGRATION_TIMEOUT_MS: '20000',
        }),
      );
    }
    const apiEnv = testApiEnv({
      ...temporalEnv,
      GITHUB_API_URL: github.url,
      REPOGUARD_ADMIN_TOKEN: adminToken,
      SCAN_QUIET_WINDOW_MS: '300',
      SCAN_MAX_WAIT_MS: '5000',
      INTEGRATION_TIMEOUT_MS: '5000',
    });
    await Promise.all(workers.map((worker) => worker.waitForOutput(/polling/, 120_000)));
    await waitUntilPolling(client, taskQueue, identities);
    // One after the other, each kept as it answers (and closed after, even if the next fails to
    // start): four processes booting at once on two busy cores can outlast the API's start-up wait.
    for (let n = 0; n < 2; n++) apis.push(await startApiProcess(apiEnv));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(apis.map((api) => api.close()));
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited(60_000).catch(() => undefined)));
    await connection?.close();
    await github?.close();
    await osv?.close();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  it('spreads scans requested through either API over both workers, each finding stored once', async () => {
    const api = (i: number) => apis[i % 2]!;
    const orgs = [
      await createOrg(apis[0]!, adminToken, 'scale-a'),
      await createOrg(apis[1]!, adminToken, 'scale-b'),
    ];
    const repos = await Promise.all(
      Array.from({ length: REPOS }, async (_, i) => {
        const org = orgs[i % 2]!;
        const { files, expected } = repoContent(i);
        const name = `svc-${i}`;
        await (await github.createRepo('acme', name)).commit(files);
        // Connected through the other API than the one that will request its scan.
        const connected = await call(api(i + 1), org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, {
          repo: `acme/${name}`,
        });
        expect(connected.status).toBe(201);
        return { i, org, repoId: connected.body.id as string, expected };
      }),
    );

    // All at once, so the two workers are handed tasks side by side.
    const requested = await Promise.all(
      repos.map(({ i, org, repoId }) => call(api(i), org.ownerToken, 'POST', `/repos/${repoId}/scan`, {})),
    );
    for (const answer of requested) {
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ status: 'QUEUED', deduplicated: false });
      expect(answer.body.scan_id).toEqual(expect.any(String));
    }

    const scans = await Promise.all(
      repos.map(({ i, org }, n) => scanEnded(api(i + 1), org.ownerToken, requested[n]!.body.scan_id)),
    );
    for (const scan of scans) expect([scan.status, scan.error]).toEqual(['COMPLETED', null]);

    for (const { i, org, repoId, expected } of repos) {
      const listed = await call(
        api(i),
        org.ownerToken,
        'GET',
        `/repos/${repoId}/findings?status=all&per_page=100`,
      );
      expect(listed.status).toBe(200);
      const findings = (listed.body.items as FindingItem[]).map(
        (f) =>
          `${f.vulnerability.id}|${f.dependency.name}|${f.dependency.version}|${f.dependency.manifest_path}`,
      );
      expect(findings.length).toBe(new Set(findings).size);
      expect([...findings].sort()).toEqual([...expected].sort());
      // Both APIs relay scan requests to Temporal: the one request is still one scan.
      const scansOfRepo = await call(api(i + 1), org.ownerToken, 'GET', `/repos/${repoId}/scans`);
      expect(scansOfRepo.body.items).toHaveLength(1);
    }

    const started = { workflowTask: new Set<string>(), activityTask: new Set<string>() };
    for (const scan of scans) {
      expect(scan.run_id).toEqual(expect.any(String));
      const history = await client.workflow.getHandle(scan.workflow_id, scan.run_id).fetchHistory();
      for (const event of history.events ?? []) {
        const workflowTask = event.workflowTaskStartedEventAttributes?.identity;
        const activityTask = event.activityTaskStartedEventAttributes?.identity;
        if (workflowTask) started.workflowTask.add(workflowTask);
        if (activityTask) started.activityTask.add(activityTask);
      }
    }
    // Each worker ran steps and workflow tasks: neither was idle while the other did the work.
    expect([...started.activityTask].sort()).toEqual([...identities].sort());
    expect([...started.workflowTask].sort()).toEqual([...identities].sort());
  });
});

describe('a rate limit on two API replicas sharing one Redis', () => {
  const LIMIT = 7;
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    // The same RATE_LIMIT_PER_MINUTE on both, as replicas of one deployment have it.
    const env = testApiEnv({ REPOGUARD_ADMIN_TOKEN: adminToken, RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    for (let n = 0; n < 2; n++) apis.push(await startApiProcess(env));
  }, 180_000);
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.close()));
  });

  /** A fresh API key (a fresh count) of a new org, created through both replicas. */
  async function freshKey() {
    const org = await createOrg(apis[0]!, adminToken, 'scale-rl');
    const key = await call(apis[1]!, org.ownerToken, 'POST', '/auth/api-keys', {
      org_id: org.orgId,
      name: `ci-${randomUUID().slice(0, 8)}`,
      role: 'viewer',
    });
    expect(key.status).toBe(201);
    return { orgId: org.orgId, key: key.body.key as string };
  }

  it('counts requests to either replica in one window: the limit, not twice it', async () => {
    const { orgId, key } = await freshKey();
    const remaining: string[] = [];
    for (let n = 0; n < LIMIT; n++) {
      const ok = await call(apis[n % 2]!, key, 'GET', `/orgs/${orgId}/repos`);
      expect(ok.status).toBe(200);
      remaining.push(ok.headers.get('x-ratelimit-remaining')!);
    }
    // One count: each replica's answer continues the other's.
    expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, n) => String(LIMIT - 1 - n)));
    for (const api of apis) {
      const limited = await call(api, key, 'GET', `/orgs/${orgId}/repos`);
      expect(limited.status).toBe(429);
      expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED' });
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
  });

  it('lets exactly the limit through when a burst hits both replicas at once', async () => {
    const { orgId, key } = await freshKey();
    const answers = await Promise.all(
      Array.from({ length: 3 * LIMIT }, (_, n) => call(apis[n % 2]!, key, 'GET', `/orgs/${orgId}/repos`)),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2 * LIMIT);
    for (const answer of answers.filter((a) => a.status === 429))
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

/** Polls a scan through `api` until it is COMPLETED or FAILED; its last answer. */
async function scanEnded(api: ApiProcess, token: string, scanId: string) {
  for (let n = 0; n < 1200; n++) {
    const { body } = await call(api, token, 'GET', `/scans/${scanId}`);
    if (body.status === 'COMPLETED' || body.status === 'FAILED') return body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`scan ${scanId} did not end`);
}

/**
 * Waits until the server lists every identity as a poller of the queue: a scan requested earlier
 * could be handed to the first worker before the second asked for tasks.
 */
async function waitUntilPolling(client: Client, taskQueue: string, identities: readonly string[]) {
  const { TASK_QUEUE_TYPE_ACTIVITY, TASK_QUEUE_TYPE_WORKFLOW } = temporal.api.enums.v1.TaskQueueType;
  const pollers = async (taskQueueType: temporal.api.enums.v1.TaskQueueType) =>
    (
      await client.workflowService.describeTaskQueue({
        namespace: temporalNamespace(),
        taskQueue: { name: taskQueue },
        taskQueueType,
      })
    ).pollers?.map((poller) => poller.identity) ?? [];
  const allPolling = async () => {
    const listed = [
      ...(await pollers(TASK_QUEUE_TYPE_WORKFLOW)),
      ...(await pollers(TASK_QUEUE_TYPE_ACTIVITY)),
    ];
    return identities.every((identity) => listed.includes(identity));
  };
  for (let n = 0; n < 300 && !(await allPolling()); n++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await allPolling()).toBe(true);
}
