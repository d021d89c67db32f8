// Per-token rate limits: counted in the real Redis, limits set per org, 429 with the headers.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startApiProcess, testApiEnv } from '../support/api-process';
import { request } from '../support/http';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function startApi(withRedis: boolean) {
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  const app = await startApiProcess(
    testApiEnv({ REPOGUARD_ADMIN_TOKEN: adminToken, REDIS_URL: withRedis ? REDIS_URL : undefined }),
  );
  const url = app.url;
  const call = (token: string, method: string, path: string, body?: unknown) =>
    request(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { app, call, adminToken };
}

/** An org limited to `limit` requests per minute per token, and an API key of it (a fresh counter). */
async function limitedKey(api: Awaited<ReturnType<typeof startApi>>, limit: number) {
  const slug = `rl-${randomUUID().slice(0, 8)}`;
  const org = await api.call(api.adminToken, 'POST', '/orgs', {
    name: 'rl',
    slug,
    owner_email: `${slug}@example.test`,
  });
  expect(org.status).toBe(201);
  const orgId: string = org.body.org.id;
  const owner: string = org.body.token;
  expect((await api.call(owner, 'PATCH', `/orgs/${orgId}`, { rate_limit_per_minute: limit })).status).toBe(
    200,
  );
  const key = await api.call(owner, 'POST', '/auth/api-keys', { org_id: orgId, name: 'ci', role: 'viewer' });
  expect(key.status).toBe(201);
  return { orgId, owner, key: key.body.key as string, keyId: key.body.id as string };
}

describe('rate limits with Redis', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let redis: Redis;

  beforeAll(async () => {
    api = await startApi(true);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await api?.app.close();
    redis?.disconnect();
  });

  it('lets N requests through within the window and answers the N+1th with 429 and the headers', async () => {
    const { orgId, owner, key, keyId } = await limitedKey(api, 5);
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const ok = await api.call(key, 'GET', `/orgs/${orgId}/repos`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-limit')).toBe('5');
      remaining.push(ok.headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);

    const before = Math.floor(Date.now() / 1000);
    const limited = await api.call(key, 'GET', `/orgs/${orgId}/repos`);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('5');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(before);
    expect(reset).toBeLessThanOrEqual(before + 61);

    // The count lives in Redis, keyed by the token, with the window as its time to live.
    const ttl = await redis.pttl(`rg:rl:5:${keyId}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // Other tokens count on their own.
    expect((await api.call(owner, 'GET', `/orgs/${orgId}/repos`)).status).toBe(200);
  });

  it('shares the count between API instances through Redis', async () => {
    const { orgId, key } = await limitedKey(api, 3);
    const second = await startApi(true);
    try {
      expect((await api.call(key, 'GET', `/orgs/${orgId}/repos`)).status).toBe(200);
      expect((await second.call(key, 'GET', `/orgs/${orgId}/repos`)).status).toBe(200);
      expect((await api.call(key, 'GET', `/orgs/${orgId}/repos`)).status).toBe(200);
      expect((await second.call(key, 'GET', `/orgs/${orgId}/repos`)).status).toBe(429);
    } finally {
      await second.app.close();
    }
  });
});

describe('rate limits without REDIS_URL', () => {
  it('warns and still limits, in memory', async () => {
    const api = await startApi(false);
    try {
      expect(api.app.output()).toContain('REDIS_URL is not set');
      const { orgId, key } = await limitedKey(api, 2);
      expect((await api.call(key, 'GET', `/orgs/${orgId}/repos`)).status).toBe(200);
      expect((await api.call(key, 'GET', `/orgs/${orgId}/repos`)).status).toBe(200);
      const limited = await api.call(key, 'GET', `/orgs/${orgId}/repos`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await api.app.close();
    }
  });
});
