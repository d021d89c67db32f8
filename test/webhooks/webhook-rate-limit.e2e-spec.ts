// Webhook deliveries carry no token: they are limited per source address instead.
import { randomBytes, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request } from '../support/http';

describe('webhook rate limit per source address', () => {
  const secret = randomBytes(24).toString('hex');
  let app: ApiProcess;
  let url: string;

  beforeAll(async () => {
    // Counted in memory: the Redis counter of 127.0.0.1 is shared with every other test run.
    app = await startApiProcess(
      testApiEnv({ GITHUB_WEBHOOK_SECRET: secret, WEBHOOK_RATE_LIMIT_PER_MINUTE: '3', REDIS_URL: undefined }),
    );
    url = app.url;
  });
  afterAll(async () => app?.close());

  it('answers the 4th delivery within the minute with 429 and Retry-After', async () => {
    const deliver = async () => {
      const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
      return request(`${url}/api/v1/webhooks/github`, {
        method: 'POST',
        headers: {
          'x-github-event': 'ping',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': await sign(secret, body),
        },
        body,
      });
    };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await deliver()).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await deliver();
    expect([limited.status, limited.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
  });
});
