// Nothing lost while Temporal is down: push webhooks and API scan requests are committed to
// PostgreSQL (the scan request outbox) and answered 202; once Temporal is back, the API's relay
// sends them and every repository is scanned once, at its newest pushed commit.
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { ScanTarget } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { request } from '../support/http';
import { startRestartableTemporal, type RestartableTemporal } from '../support/restartable-temporal';

const SECRET = `whsec-${randomUUID()}`;
const METRICS_TOKEN = `metrics-${randomUUID()}`;

interface Repo extends ScanTarget {
  readonly githubId: number;
  readonly commit: (content: string) => Promise<string>;
}

describe('scan requests while Temporal is down', () => {
  let temporal: RestartableTemporal;
  let stack: ApiStack;
  let orgId: string;
  let ownerToken: string;
  const knex = () => stack.harness.orm.em.getKnex();

  beforeAll(async () => {
    // A server of this test's own: the suite's shared one must stay up for the other test files.
    temporal = await startRestartableTemporal();
    process.env['TEMPORAL_ADDRESS'] = temporal.address;
    process.env['TEMPORAL_NAMESPACE'] = temporal.namespace;
    stack = await startApiStack({
      name: 'temporal-outage',
      env: {
        GITHUB_WEBHOOK_SECRET: SECRET,
        // Long enough that the requests the relay sends back to back join one scan per repository.
        SCAN_QUIET_WINDOW_MS: '3000',
        SCAN_MAX_WAIT_MS: '10000',
        SCAN_RELAY_POLL_MS: '200',
        SCAN_RELAY_MAX_BACKOFF_MS: '1000',
        METRICS_TOKEN,
      },
    });
    ({ orgId, ownerToken } = await stack.createOrg('outage'));
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await temporal?.close();
  });

  async function connect(name: string): Promise<Repo> {
    const github = await stack.harness.github.createRepo('acme', name);
    await github.commit({ 'requirements.txt': 'requests==2.19.0\n' }, 'initial');
    const connected = await stack.call(ownerToken, 'POST', `/api/v1/orgs/${orgId}/repos`, {
      repo: `acme/${name}`,
    });
    expect(connected.status).toBe(201);
    const row = await knex()('repositories').where({ id: connected.body.id }).first('external_id');
    return {
      orgId,
      repoId: connected.body.id,
      owner: 'acme',
      name,
      githubId: Number(row.external_id),
      commit: (content) => github.commit({ 'requirements.txt': content }, 'bump'),
    };
  }

  async function push(repo: Repo, sha: string) {
    const deliveryId = randomUUID();
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: sha,
      head_commit: { id: sha },
      repository: { id: repo.githubId, name: repo.name, full_name: `acme/${repo.name}` },
    });
    const answer = await request(`${stack.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'x-github-event': 'push',
        'x-github-delivery': deliveryId,
        'x-hub-signature-256': await sign(SECRET, body),
      },
      body,
    });
    return { ...answer, deliveryId };
  }

  const scansOf = (repoId: string) =>
    knex()('scans')
      .where({ repo_id: repoId })
      .orderBy('created_at', 'asc')
      .select('commit_sha', 'status', 'trigger');

  async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== null) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('accepts 10 pushes and an API request with Temporal stopped, and scans each repository once, at its newest commit, once it is back', async () => {
    const repos = [
      await connect(`outage-a-${randomUUID().slice(0, 6)}`),
      await connect(`outage-b-${randomUUID().slice(0, 6)}`),
      await connect(`outage-c-${randomUUID().slice(0, 6)}`),
    ];
    const apiRepo = await connect(`outage-api-${randomUUID().slice(0, 6)}`);

    await stack.harness.stopWorker();
    await temporal.stop();

    // 10 pushes, round-robin over the three repositories: each push a new commit on main.
    const newest = new Map<string, string>();
    const answers: Awaited<ReturnType<typeof push>>[] = [];
    for (let i = 0; i < 10; i++) {
      const repo = repos[i % repos.length]!;
      const sha = await repo.commit(`requests==2.${20 + i}.0\n`);
      newest.set(repo.repoId, sha);
      answers.push(await push(repo, sha));
    }
    // Every push answered while Temporal is still stopped (the first after one bounded call to it).
    for (const answer of answers) {
      expect([answer.status, answer.body.handled, answer.body.outcome]).toEqual([
        202,
        true,
        'scan requested',
      ]);
    }
    // After the first found Temporal down, none waits on it: only the first push was tried before
    // its answer (a failed try counts an attempt), and the relay loop keeps retrying only the
    // oldest request, so every later one is still untried.
    const tried = await knex()('scan_request_outbox')
      .whereIn(
        'delivery_id',
        answers.map((a) => a.deliveryId),
      )
      .orderBy('seq', 'asc')
      .select('delivery_id', 'attempts');
    expect(tried.map((r) => r.delivery_id)).toEqual(answers.map((a) => a.deliveryId));
    expect(tried[0]!.attempts).toBeGreaterThanOrEqual(1);
    expect(tried.slice(1).map((r) => r.attempts)).toEqual(answers.slice(1).map(() => 0));

    const deliveries = await knex()('webhook_deliveries')
      .whereIn(
        'delivery_id',
        answers.map((a) => a.deliveryId),
      )
      .select('delivery_id', 'status_code', 'handled', 'head_commit');
    expect(deliveries).toHaveLength(10);
    expect(deliveries.every((d) => d.status_code === 202 && d.handled === true)).toBe(true);

    // The API answers 202 too, with the request kept for later.
    const viaApi = await stack.call(ownerToken, 'POST', `/api/v1/repos/${apiRepo.repoId}/scan`, {});
    expect(viaApi.status).toBe(202);
    expect(viaApi.body).toEqual({
      scan_id: null,
      request_id: expect.any(String),
      workflow_id: `repo-scan:${apiRepo.repoId}`,
      run_id: null,
      status: 'PENDING',
      deduplicated: false,
    });
    // The request id answers what became of it: waiting, for now.
    const requestPath = `/api/v1/repos/${apiRepo.repoId}/scan-requests/${viaApi.body.request_id}`;
    const pending = await stack.call(ownerToken, 'GET', requestPath);
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({
      request_id: viaApi.body.request_id,
      repo_id: apiRepo.repoId,
      state: 'pending',
      scan_id: null,
      relayed_at: null,
      gave_up_at: null,
    });
    const waiting = await knex()('scan_request_outbox')
      .whereIn(
        'repo_id',
        [...repos, apiRepo].map((r) => r.repoId),
      )
      .whereNull('relayed_at')
      .count({ n: '*' });
    expect(Number(waiting[0]!.n)).toBe(11);
    // Nothing reached Temporal: no scan of any of them exists yet.
    expect(
      await knex()('scans').whereIn(
        'repo_id',
        [...repos, apiRepo].map((r) => r.repoId),
      ),
    ).toEqual([]);

    // Several seconds of outage (the relay keeps trying meanwhile), then Temporal is back.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await temporal.start();
    const back = Date.now();
    await stack.harness.startWorker();

    await until('every request relayed', async () => {
      const left = await knex()('scan_request_outbox')
        .whereIn(
          'repo_id',
          [...repos, apiRepo].map((r) => r.repoId),
        )
        .whereNull('relayed_at')
        .count({ n: '*' });
      return Number(left[0]!.n) === 0 ? true : null;
    });
    const caughtUpMs = Date.now() - back;

    for (const repo of repos) {
      const scans = await until(`the scan of ${repo.name}`, async () => {
        const rows = await scansOf(repo.repoId);
        return rows.length > 0 && rows.every((r) => ['COMPLETED', 'FAILED'].includes(r.status)) ? rows : null;
      });
      expect(scans.at(-1)).toMatchObject({
        status: 'COMPLETED',
        commit_sha: newest.get(repo.repoId),
        trigger: 'push',
      });
      const commits = scans.map((s) => s.commit_sha);
      expect(new Set(commits).size).toBe(commits.length); // no commit scanned twice
    }
    const apiScans = await until('the API-requested scan', async () => {
      const rows = await scansOf(apiRepo.repoId);
      return rows.some((r) => r.status === 'COMPLETED') ? rows : null;
    });
    expect(apiScans).toEqual([expect.objectContaining({ status: 'COMPLETED', trigger: 'api' })]);
    const relayed = await stack.call(ownerToken, 'GET', requestPath);
    expect(relayed.body).toMatchObject({
      state: 'relayed',
      relayed_at: expect.any(String),
      gave_up_at: null,
    });
    // Another org's caller learns nothing of it; a malformed id is the caller's mistake.
    const stranger = await stack.createOrg('outage-stranger');
    expect((await stack.call(stranger.ownerToken, 'GET', requestPath)).status).toBe(404);
    const other = await stack.call(
      ownerToken,
      'GET',
      `/api/v1/repos/${apiRepo.repoId}/scan-requests/${randomUUID()}`,
    );
    expect([other.status, other.body.error.code]).toEqual([404, 'SCAN_REQUEST_NOT_FOUND']);
    const malformed = await stack.call(
      ownerToken,
      'GET',
      `/api/v1/repos/${apiRepo.repoId}/scan-requests/x'1`,
    );
    expect([malformed.status, malformed.body.error.details]).toEqual([
      400,
      [{ field: 'request_id', problem: 'must be a UUID' }],
    ]);

    // Quiet afterwards: nothing relayed twice started another scan.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    for (const repo of [...repos, apiRepo]) {
      const rows = await scansOf(repo.repoId);
      expect(rows.length).toBe(new Set(rows.map((r) => r.commit_sha)).size);
    }
    // The relay's counters tell the outage and the catch-up apart.
    const scrape = await fetch(`${stack.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const text = await scrape.text();
    const counter = (outcome: string) =>
      Number(
        new RegExp(`^repoguard_scan_request_relays_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(
          text,
        )?.[1] ?? 0,
      );
    expect(counter('engine_unavailable')).toBeGreaterThan(0);
    expect(counter('relayed')).toBeGreaterThanOrEqual(11);
    // Measured, for the report: how long after Temporal was back the outbox was empty.
    console.log(`outbox caught up ${caughtUpMs} ms after Temporal was back`);
  }, 240_000);

  it('with Temporal up, scans a push as before: relayed before the answer', async () => {
    const repo = await connect(`outage-up-${randomUUID().slice(0, 6)}`);
    const sha = await repo.commit('requests==2.31.0\n');
    const answer = await push(repo, sha);
    expect(answer.status).toBe(202);
    const row = await knex()('scan_request_outbox').where({ repo_id: repo.repoId }).first();
    expect(row).toMatchObject({ relayed_at: expect.anything(), attempts: 0, delivery_id: answer.deliveryId });
    expect(await stack.harness.waitForScan(repo)).toMatchObject({ phase: 'COMPLETED', commitSha: sha });
  });
});
