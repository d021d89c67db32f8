// No token or secret may reach the logs: every JSON line the API writes, stack traces and the
// per-request lines included, is masked by field name and by value, whoever logged it.
import { randomUUID } from 'node:crypto';
import { Logger, type INestApplication } from '@nestjs/common';
import { createApiApp } from '../../apps/api/src/app.factory';
import { testApiConfig } from '../support/api-config';
import { request } from '../support/http';
import { captureLogs, type LogCapture, type LogRecord } from '../support/log-capture';

const ADMIN_TOKEN = 'admin-token-that-must-never-be-printed-0001';
const GITHUB_TOKEN = 'ghp_ThisIsAFakeGithubToken0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-never-printed-0002';
const UNKNOWN_TOKEN = 'rg_pat_Q2hhcmxpZVNheXNIZWxsbzEyMzQ1Njc4OTA';

describe('log redaction', () => {
  let app: INestApplication;
  let url: string;
  let logs: LogCapture;
  const issued: string[] = [];

  beforeAll(async () => {
    logs = captureLogs();
    app = await createApiApp(
      testApiConfig({
        LOG_LEVEL: 'info',
        REPOGUARD_ADMIN_TOKEN: ADMIN_TOKEN,
        GITHUB_TOKEN,
        GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
      { logDestination: logs.destination },
    );
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
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
  const requestLine = (correlationId: string): LogRecord | undefined =>
    logs.records().find((r) => r.correlationId === correlationId && r.msg?.startsWith('request '));

  it('prints [REDACTED] in place of configured secrets and token-shaped strings, in messages and stacks', () => {
    const logger = new Logger('AnyService');
    logger.log(`calling GitHub with ${GITHUB_TOKEN} for ${UNKNOWN_TOKEN}`);
    logger.warn(`admin token was ${ADMIN_TOKEN}; webhook secret ${WEBHOOK_SECRET}`);
    const error = new Error(`request failed: Authorization: Bearer ${GITHUB_TOKEN}`);
    logger.error(error.message, error.stack);
    logger.error('an error logged without a stack'); // must print, not throw

    const text = logs.text();
    expect(text).toContain('an error logged without a stack');
    expect(text).toContain('calling GitHub with [REDACTED] for [REDACTED]');
    expect(text).toContain('admin token was [REDACTED]; webhook secret [REDACTED]');
    expect(text).toContain('Authorization: Bearer [REDACTED]');
    expect(logs.records().find((r) => r.msg === 'an error logged without a stack')).toMatchObject({
      level: 'error',
      context: 'AnyService',
    });
  });

  it('writes one line per request with route, status, actor and org, and never the bearer token', async () => {
    const created = await call(
      'POST',
      '/api/v1/orgs',
      { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-request-id': 'redaction-create-1' },
      { name: 'Redaction', slug: `redaction-${randomUUID().slice(0, 8)}`, owner_email: 'o@example.test' },
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

    expect(requestLine('redaction-create-1')).toMatchObject({
      level: 'info',
      service: 'api',
      method: 'POST',
      route: '/api/v1/orgs',
      status: 201,
      actor: 'admin',
      durationMs: expect.any(Number),
    });
    expect(requestLine('redaction-members-1')).toMatchObject({
      method: 'GET',
      route: '/api/v1/orgs/:org_id/members',
      status: 200,
      orgId,
      actor: `user:${created.body.owner.id}`,
    });
    expect(requestLine('redaction-refused-1')).toMatchObject({ route: '/api/v1/orgs/me', status: 401 });
    // Probes are debug lines: below this app's info level.
    expect((await call('GET', '/health/live', { 'x-request-id': 'redaction-probe-1' })).status).toBe(200);
    expect(requestLine('redaction-probe-1')).toBeUndefined();
    for (const id of ['redaction-create-1', 'redaction-members-1', 'redaction-refused-1']) {
      expect(
        logs.records().filter((r) => r.correlationId === id && r.msg?.startsWith('request ')),
      ).toHaveLength(1);
      const line = requestLine(id)!;
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
    expect(requestLine(delivery)).toMatchObject({
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
