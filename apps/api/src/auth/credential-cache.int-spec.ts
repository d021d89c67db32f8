import { Redis } from 'ioredis';
import type { Caller } from '../common/api-request';
import type { ApiConfig } from '../config/api.config';
import { CredentialCache } from './credential-cache';

// Two caches on one real Redis, as two API instances: what one hears, the other forgets.
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const config = { AUTH_CACHE_TTL_SECONDS: 30 } as ApiConfig;
const caller: Caller = {
  principal: { kind: 'api_key', id: 'k', tokenId: 'k', roles: new Map() },
  rateLimitPerMinute: 600,
};

const clients: Redis[] = [];
const caches: CredentialCache[] = [];

async function startCache(url = REDIS_URL): Promise<CredentialCache> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  clients.push(redis);
  await redis.connect().catch(() => undefined);
  const cache = new CredentialCache(redis, config);
  caches.push(cache);
  cache.onModuleInit();
  return cache;
}

/** Until the cache is subscribed: it remembers nothing before that. */
async function listening(cache: CredentialCache): Promise<void> {
  for (let i = 0; i < 100; i++) {
    cache.remember('probe', cache.mark(), { caller, tokenExpiresAt: null }, Date.now());
    if (cache.get('probe', Date.now())) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the cache never subscribed');
}

afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.onApplicationShutdown()));
  for (const redis of clients.splice(0)) redis.disconnect();
});

describe('CredentialCache', () => {
  it('a change announced by one instance empties the other', async () => {
    const [one, other] = await Promise.all([startCache(), startCache()]);
    await Promise.all([listening(one), listening(other)]);
    other.remember('token', other.mark(), { caller, tokenExpiresAt: null }, Date.now());
    expect(other.get('token', Date.now())?.caller).toBe(caller);

    await one.changed();
    for (let i = 0; i < 50 && other.get('token', Date.now()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(other.get('token', Date.now())).toBeUndefined();
  });

  it('does not keep a look-up that began before a change it heard of', async () => {
    const cache = await startCache();
    await listening(cache);
    const since = cache.mark();
    await cache.changed(); // a revocation commits while the look-up is under way
    cache.remember('token', since, { caller, tokenExpiresAt: null }, Date.now());
    expect(cache.get('token', Date.now())).toBeUndefined();
  });

  it('after its TTL an entry is gone, and without Redis nothing is kept at all', async () => {
    const cache = await startCache();
    await listening(cache);
    const now = Date.now();
    cache.remember('token', cache.mark(), { caller, tokenExpiresAt: null }, now);
    expect(cache.get('token', now + 29_999)).toBeDefined();
    expect(cache.get('token', now + 30_000)).toBeUndefined();

    const unreachable = await startCache('redis://127.0.0.1:1');
    unreachable.remember('token', unreachable.mark(), { caller, tokenExpiresAt: null }, now);
    expect(unreachable.get('token', now)).toBeUndefined();
  });
});
