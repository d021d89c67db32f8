import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { createMikroOrmConfig, MikroOrmCredentialLookup, OpaqueTokenIssuer } from '@repoguard/infrastructure';
import type { Caller } from '../common/api-request';
import type { ApiConfig } from '../config/api.config';
import { CredentialCache, SUBSCRIBER_SILENT_AFTER_MS } from './credential-cache';
import { TokenAuthenticator } from './token-authenticator';

// Caches on one real Redis, as API instances: what one announces, the others forget.
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const caller: Caller = {
  principal: { kind: 'api_key', id: 'k', tokenId: 'k', roles: new Map() },
  rateLimitPerMinute: 600,
};
const credential = { caller, tokenExpiresAt: null };

const clients: Redis[] = [];
const caches: CredentialCache[] = [];
const cleanups: (() => Promise<void>)[] = [];

function configFor(overrides: Partial<ApiConfig> = {}): ApiConfig {
  // A channel per test: Redis is shared, and another test's announcements would empty these caches.
  return {
    AUTH_CACHE_TTL_SECONDS: 30,
    AUTH_CACHE_CHANNEL: `repoguard:credentials-changed:int-${randomUUID()}`,
    RATE_LIMIT_PER_MINUTE: 600,
    ...overrides,
  } as ApiConfig;
}

function client(url = REDIS_URL): Redis {
  // As the API's own client: commands fail at once while it is not connected.
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  clients.push(redis);
  return redis;
}

async function startCache(config: ApiConfig, url = REDIS_URL): Promise<CredentialCache> {
  const redis = client(url);
  await redis.connect().catch(() => undefined);
  return startCacheOver(redis, config);
}

function startCacheOver(redis: Redis, config: ApiConfig): CredentialCache {
  const cache = new CredentialCache(redis, config);
  caches.push(cache);
  cache.onModuleInit();
  return cache;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until the cache is subscribed: it remembers nothing before that. */
async function listening(cache: CredentialCache): Promise<void> {
  for (let i = 0; i < 100; i++) {
    cache.remember('probe', cache.mark(), credential);
    if (cache.get('probe')) return;
    await sleep(20);
  }
  throw new Error('the cache never subscribed');
}

async function until(condition: () => boolean, ms = 1_000): Promise<void> {
  for (const deadline = Date.now() + ms; !condition() && Date.now() < deadline;) await sleep(10);
}

/**
 * A TCP path to Redis that can go silent without closing, as a dropped route or a dead NAT entry
 * does: nothing more is forwarded either way, and neither end hears of it.
 */
async function silenceableRoute(): Promise<{ url: string; silence(): void }> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let silent = false;
  const server: Server = createServer((downstream) => {
    sockets.add(downstream);
    if (silent) return;
    const upstream = connect(Number(target.port || 6379), target.hostname);
    sockets.add(upstream);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    for (const socket of [downstream, upstream]) socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    silence() {
      silent = true;
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
  };
}

afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.onApplicationShutdown()));
  for (const redis of clients.splice(0)) redis.disconnect();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  jest.restoreAllMocks();
});

describe('CredentialCache', () => {
  it('a change announced by one instance empties the other', async () => {
    const config = configFor();
    const [one, other] = await Promise.all([startCache(config), startCache(config)]);
    await Promise.all([listening(one), listening(other)]);
    other.remember('token', other.mark(), credential);
    expect(other.get('token')?.caller).toBe(caller);

    await one.changed();
    await until(() => !other.get('token'));
    expect(other.get('token')).toBeUndefined();
  });

  it('does not keep a look-up that began before a change it heard of', async () => {
    const cache = await startCache(configFor());
    await listening(cache);
    const since = cache.mark();
    await cache.changed(); // a revocation commits while the look-up is under way
    cache.remember('token', since, credential);
    expect(cache.get('token')).toBeUndefined();
  });

  it('without Redis nothing is kept at all, and a change cannot be announced: it says so', async () => {
    const unreachable = await startCache(configFor(), 'redis://127.0.0.1:1');
    unreachable.remember('token', unreachable.mark(), credential);
    expect(unreachable.get('token')).toBeUndefined();

    await expect(unreachable.changed()).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'CREDENTIAL_CHANGE_NOT_ANNOUNCED',
    });
  });

  it('a publish refused while its connection is away is tried again, and reaches the others', async () => {
    const config = configFor();
    // Not connected yet: its first PUBLISH is refused at once and starts the connection, as after a reset.
    const announcer = startCacheOver(client(), config);
    const other = await startCache(config);
    await listening(other);
    other.remember('token', other.mark(), credential);

    await announcer.changed();
    await until(() => !other.get('token'));
    expect(other.get('token')).toBeUndefined();
  });

  it('an announcement that failed is tried again in the background until it reaches the others', async () => {
    const config = configFor();
    const announcerRedis = client();
    await announcerRedis.connect();
    const announcer = startCacheOver(announcerRedis, config);
    const other = await startCache(config);
    await listening(other);
    other.remember('token', other.mark(), credential);
    // Redis refuses the request's own attempts (the first and its three quick retries), then answers.
    const refused = () => Promise.reject(new Error('Connection is closed.'));
    jest
      .spyOn(announcerRedis, 'publish')
      .mockImplementationOnce(refused)
      .mockImplementationOnce(refused)
      .mockImplementationOnce(refused)
      .mockImplementationOnce(refused);

    await expect(announcer.changed()).rejects.toMatchObject({
      code: 'CREDENTIAL_CHANGE_NOT_ANNOUNCED',
      message: expect.stringContaining('keeps trying'),
    });
    expect(other.get('token')?.caller).toBe(caller);
    // Repeating the request is not needed (a repeated revocation is refused before announcing).
    await until(() => !other.get('token'), 3_000);
    expect(other.get('token')).toBeUndefined();
  });

  it('a subscriber whose connection went silent stops answering from memory within seconds', async () => {
    const config = configFor();
    const route = await silenceableRoute();
    const [listener, announcer] = await Promise.all([startCache(config, route.url), startCache(config)]);
    await Promise.all([listening(listener), listening(announcer)]);
    listener.remember('token', listener.mark(), credential);

    route.silence();
    await announcer.changed(); // never reaches the listener
    await sleep(SUBSCRIBER_SILENT_AFTER_MS + 1_000);
    expect(listener.get('token')).toBeUndefined();
  }, 20_000);

  it('a checked token lives its TTL on the monotonic clock, whatever the wall clock does', async () => {
    const orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 2 }),
    );
    cleanups.push(() => orm.close(true));
    const db = orm.em.getConnection();
    const orgId = randomUUID();
    const keyId = randomUUID();
    const issued = new OpaqueTokenIssuer().issue('api_key');
    await db.execute('insert into organizations (id, name, slug) values (?, ?, ?)', [
      orgId,
      'monotonic',
      `monotonic-${orgId.slice(0, 8)}`,
    ]);
    await db.execute(
      'insert into api_keys (id, org_id, name, role, token_hash, prefix) values (?, ?, ?, ?, ?, ?)',
      [keyId, orgId, 'ci', 'viewer', issued.hash, issued.prefix],
    );
    const config = configFor({ AUTH_CACHE_TTL_SECONDS: 1 });
    const cache = await startCache(config);
    await listening(cache);
    const authenticator = new TokenAuthenticator(new MikroOrmCredentialLookup(orm.em.fork()), config, cache);

    expect((await authenticator.authenticate(issued.token)).principal.id).toBe(keyId);
    // Behind the API's back: only the end of the TTL makes this instance look again.
    await db.execute('update api_keys set revoked_at = now() where id = ?', [keyId]);
    expect((await authenticator.authenticate(issued.token)).principal.id).toBe(keyId);

    // The wall clock is set back an hour (NTP stepping it, an operator fixing it) while time passes.
    const wallClock = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => wallClock() - 3_600_000);
    await sleep(1_200);
    await expect(authenticator.authenticate(issued.token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
