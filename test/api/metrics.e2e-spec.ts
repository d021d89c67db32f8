// GET /metrics: Prometheus text with the HTTP histogram by route pattern and the rate-limit counter.
import { randomBytes, randomUUID } from 'node:crypto';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request } from '../support/http';

describe('GET /metrics', () => {
  let app: ApiProcess;
  let url: string;
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  const metricsToken = `metrics-${randomBytes(24).toString('hex')}`;

  beforeAll(async () => {
    app = await startApiProcess(
      testApiEnv({
        REPOGUARD_ADMIN_TOKEN: adminToken,
        RATE_LIMIT_PER_MINUTE: '4',
        METRICS_TOKEN: metricsToken,
      }),
    );
    url = app.url;
  });
  afterAll(async () => app?.close());

  const sample = (text: string, name: string, labels: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('counts requests by route pattern and status, and 429s, without ids in the labels', async () => {
    const slug = `metrics-${randomUUID().slice(0, 8)}`;
    const created = await request(`${url}/api/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ name: 'm', slug, owner_email: `${slug}@example.test` }),
    });
    const auth = { authorization: `Bearer ${created.body.token}` };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await request(`${url}/api/v1/orgs/${created.body.org.id}/repos`, { headers: auth })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);

    const scrape = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    const route = 'method="GET",route="/api/v1/orgs/:org_id/repos"';
    expect(sample(text, 'repoguard_http_request_duration_seconds_count', `${route},status="200"`)).toBe(4);
    expect(sample(text, 'repoguard_http_request_duration_seconds_count', `${route},status="429"`)).toBe(1);
    expect(sample(text, 'repoguard_rate_limit_rejections_total', 'kind="token"')).toBe(1);
    expect(text).not.toContain(created.body.org.id);
    expect(text).toContain('repoguard_api_process_cpu_seconds_total');
    // Read from Temporal at scrape time (the default task queue: this app starts no scan).
    expect(text).toMatch(/^repoguard_scan_queue_backlog\{task_queue="[^"]+"\} \d+$/m);
    expect(text).toMatch(/^repoguard_scan_workflows_running\{task_queue="[^"]+"\} \d+$/m);
    expect(text).toMatch(/^repoguard_integration_requests_total\{integration="github"\} 0$/m);
  });
});
