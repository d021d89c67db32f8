// No token or secret may reach the logs: every JSON line the API process writes, the per-request
// lines included, is masked by field name and by value. (Lines logged through Nest's Logger inside
// the app: apps/api/src/app.factory.spec.ts.)
import { randomUUID } from 'node:crypto';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request } from '../support/http';
import { captureLogs, type LogCapture, type LogRecord } from '../support/log-capture';

const ADMIN_TOKEN = 'admin-token-that-must-never-be-printed-0001';
const GITHUB_TOKEN = 'ghp_ThisIsAFakeGithubToken0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-never-printed-0002';
const UNKNOWN_TOKEN = 'rg_pat_Q2hhcmxpZVNheXNIZWxsbzEyMzQ1Njc4OTA';

describe('log redaction', () => {
  let app: ApiProcess;
  let url: string;
  let logs: LogCapture;
  const issued: string[] = [];

  beforeAll(async () => {
    logs = captureLogs();
    app = await startApiProcess(
      testApiEnv({
        LOG_LEVEL: 'info',
        REPOGUARD_ADMIN_TOKEN: ADMIN_TOKEN,
        GITHUB_TOKEN,
        GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
      { logs },
    );
    url = app.url;
  });
  afterAll(async () => {
    await app?.close();
  });

  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    request(`${url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const isRequestLine = (correlationId: string) => (r: LogRecord) =>
    r.correlationId === correlationId && r.msg?.startsWith('request ') === true;
  /** The request's line, once the process has written it (it comes after the answer). */
  const requestLine = async (correlationId: string): Promise<LogRecord | undefined> =>
    (await logs.until((records) => records.some(isRequestLine(correlationId)))).find(
      isRequestLine(correlationId),
    );

  it('writes one line per request with route, status, actor and org, and never the bearer token', async () => {
    const created = await call(
      'POST',
      '/api/v1/orgs',
      { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-request-id': 'redaction-create-1' },
      {
        name: 'Redaction',
        slug: `redaction-${randomUUID().slice(0, 8)}`,
        owner_email: `o-${randomUUID()}@example.test`,
      },
    );
    expect(created.status).toBe(201);
    const ownerToken = created.body.token as string;
    const orgId = created.body.org.id as string;
    issued.push(ownerToken);

    const members = await call('GET', `/api/v1/orgs/${orgId}/members`, {
      authorization: `Bearer ${ownerToken}`,
      'x-request-id': 'redaction-members-1',
    });
    expect(members.status).toBe(200);
    const refused = await call('GET', '/api/v1/orgs/me', {
      authorization: `Bearer ${UNKNOWN_TOKEN}`,
      'x-request-id': 'redaction-refused-1',
    });
    expect(refused.status).toBe(401);

    expect(await requestLine('redaction-create-1')).toMatchObject({
      level: 'info',
      service: 'api',
      method: 'POST',
      route: '/api/v1/orgs',
      status: 201,
      actor: 'admin',
      durationMs: expect.any(Number),
    });
    expect(await requestLine('redaction-members-1')).toMatchObject({
      method: 'GET',
      route: '/api/v1/orgs/:org_id/members',
      status: 200,
      orgId,
      actor: `user:${created.body.owner.id}`,
    });
    expect(await requestLine('redaction-refused-1')).toMatchObject({ route: '/api/v1/orgs/me', status: 401 });
    // Probes are debug lines: below this app's info level.
    expect((await call('GET', '/health/live', { 'x-request-id': 'redaction-probe-1' })).status).toBe(200);
    // Lines arrive in order: once a later request's line is there, the probe's would be too.
    await call('GET', '/api/v1/orgs/me', {
      authorization: `Bearer ${ownerToken}`,
      'x-request-id': 'after-probe',
    });
    await requestLine('after-probe');
    expect(logs.records().find(isRequestLine('redaction-probe-1'))).toBeUndefined();
    for (const id of ['redaction-create-1', 'redaction-members-1', 'redaction-refused-1']) {
      expect(
        logs.records().filter((r) => r.correlationId === id && r.msg?.startsWith('request ')),
      ).toHaveLength(1);
      const line = (await requestLine(id))!;
      expect(Object.keys(line)).not.toEqual(expect.arrayContaining(['req']));
      expect(Object.keys(line)).not.toEqual(expect.arrayContaining(['res']));
    }
  });

  it('logs a webhook delivery under its delivery id, without the signature or the secret', async () => {
    const delivery = randomUUID();
    const response = await call(
      'POST',
      '/api/v1/webhooks/github',
      {
        'x-github-delivery': delivery,
        'x-github-event': 'ping',
        'x-hub-signature-256': `sha256=${'ab'.repeat(32)}`,
      },
      { zen: 'Keep it logically awesome.' },
    );
    expect(response.headers.get('x-request-id')).toBe(delivery);
    expect(await requestLine(delivery)).toMatchObject({
      route: '/api/v1/webhooks/github',
      status: response.status,
      actor: 'webhook:github',
    });
    expect(logs.text()).not.toContain('ab'.repeat(32));
  });

  it('never wrote a secret or a token, in any of the lines above', () => {
    const text = logs.text();
    for (const secret of [ADMIN_TOKEN, GITHUB_TOKEN, WEBHOOK_SECRET, UNKNOWN_TOKEN, ...issued]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/rg_(pat|key)_[A-Za-z0-9]{8}/);
  });
});
