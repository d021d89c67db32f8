// Issue 14: /metrics describes every tenant's traffic. It answers only with the operator's
// METRICS_TOKEN (a tenant's own token does not open it), and is off without one.
import { randomBytes, randomUUID } from 'node:crypto';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request } from '../support/http';

describe('GET /metrics with METRICS_TOKEN set', () => {
  const metricsToken = `metrics-${randomBytes(24).toString('hex')}`;
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  let app: ApiProcess;

  beforeAll(async () => {
    app = await startApiProcess(
      testApiEnv({ METRICS_TOKEN: metricsToken, REPOGUARD_ADMIN_TOKEN: adminToken }),
    );
  });
  afterAll(async () => app?.close());

  const scrape = (authorization?: string) =>
    request(`${app.url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });

  it.each([
    ['no Authorization header', undefined],
    ['an empty bearer', 'Bearer '],
    ['a wrong token of the same length', `Bearer metrics-${randomBytes(24).toString('hex')}`],
    ['the token with one character more', `Bearer ${metricsToken}x`],
    ['a prefix of the token', `Bearer ${metricsToken.slice(0, -1)}`],
    [
      'the token as Basic credentials',
      `Basic ${Buffer.from(`prometheus:${metricsToken}`).toString('base64')}`,
    ],
    ['the instance admin token', `Bearer ${adminToken}`],
  ])('refuses %s with 401 and shows no metric', async (_label, authorization) => {
    const refused = await scrape(authorization);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'METRICS_TOKEN_INVALID']);
    expect(JSON.stringify(refused.body)).not.toContain('repoguard_');
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it("refuses an org owner's personal token", async () => {
    const slug = `metrics-${randomUUID().slice(0, 8)}`;
    const created = await request(`${app.url}/api/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ name: 'm', slug, owner_email: `${slug}@example.test` }),
    });
    expect(created.status).toBe(201);
    const refused = await scrape(`Bearer ${created.body.token}`);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'METRICS_TOKEN_INVALID']);
  });

  it('answers the right token with the Prometheus text', async () => {
    const answered = await scrape(`Bearer ${metricsToken}`);
    expect(answered.status).toBe(200);
    expect(answered.headers.get('content-type')).toContain('text/plain');
    expect(answered.body).toContain('repoguard_http_request_duration_seconds');
    expect(answered.body).toMatch(/^repoguard_rate_limit_rejections_total|^# HELP repoguard_rate_limit/m);
    // Case of the scheme does not matter (RFC 9110).
    expect((await scrape(`bearer ${metricsToken}`)).status).toBe(200);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  let app: ApiProcess;

  beforeAll(async () => {
    app = await startApiProcess(testApiEnv({ METRICS_TOKEN: undefined }));
  });
  afterAll(async () => app?.close());

  it('is off: 404 whatever is sent', async () => {
    const sends: Record<string, string>[] = [{}, { authorization: 'Bearer anything-at-all-long-enough-000' }];
    for (const headers of sends) {
      const off = await request(`${app.url}/metrics`, { headers });
      expect([off.status, off.body.error.code]).toEqual([404, 'NOT_FOUND']);
      expect(JSON.stringify(off.body)).not.toContain('repoguard_');
    }
  });
});
