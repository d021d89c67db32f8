import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request } from '../support/http';

async function start(overrides: Record<string, string> = {}): Promise<{ app: ApiProcess; url: string }> {
  const app = await startApiProcess(testApiEnv(overrides));
  return { app, url: app.url };
}

describe('GET /health over HTTP', () => {
  let app: ApiProcess;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await start());
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 200 with PostgreSQL, Temporal and Redis up', async () => {
    const { status, body } = await request(`${url}/health`);
    const up = { status: 'up', latency_ms: expect.any(Number) };
    expect({ status, body }).toEqual({
      status: 200,
      body: { status: 'ok', checks: { postgres: up, migrations: up, temporal: up, redis: up } },
    });
    // /health/ready is the same readiness report; /health/live only says the process answers.
    expect((await request(`${url}/health/ready`)).body.checks.migrations).toEqual(up);
    expect(await request(`${url}/health/live`)).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('documents itself in the OpenAPI document at /docs', async () => {
    const { status, body: document } = await request(`${url}/docs/openapi.json`);
    expect(status).toBe(200);
    expect(document.info.title).toBe('RepoGuard API');
    expect(Object.keys(document.paths)).toContain('/health');
  });

  it('answers an unknown route with the error body', async () => {
    const { status, body } = await request(`${url}/api/v1/no-such-thing`);
    expect(status).toBe(404);
    expect(body).toEqual({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('no-such-thing'), details: [] },
    });
  });
});

describe('GET /health with a dependency down', () => {
  it('answers 503 naming Temporal as down, within seconds', async () => {
    // Port 1 on loopback refuses connections: a Temporal frontend that is not there.
    const { app, url } = await start({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    try {
      const started = Date.now();
      const { status, body } = await request(`${url}/health`);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(status).toBe(503);
      expect(body.status).toBe('error');
      expect(body.checks.postgres.status).toBe('up');
      expect(body.checks.temporal).toEqual({
        status: 'down',
        latency_ms: expect.any(Number),
        error: expect.any(String),
      });
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming PostgreSQL as down', async () => {
    const { app, url } = await start({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/repoguard_test' });
    try {
      const { status, body } = await request(`${url}/health`);
      expect(status).toBe(503);
      expect(body.checks.postgres.status).toBe('down');
      expect(body.checks.temporal.status).toBe('up');
    } finally {
      await app.close();
    }
  });
});
