import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { DomainError } from '@repoguard/domain';
import type { Caller } from '../common/api-request';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { REDIS } from '../redis/redis.module';

/** Bounds memory against a flood of distinct valid tokens; the oldest entry goes first. */
const MAX_ENTRIES = 10_000;

/** How often the subscriber asks Redis, on its own connection, whether it is still heard. */
const PING_EVERY_MS = 1_000;

/**
 * A subscriber that had no PING answered for this long may sit on a connection that died without
 * a reset, where announcements never arrive: its cache is not trusted, and it reconnects.
 */
export const SUBSCRIBER_SILENT_AFTER_MS = 3_000;

/** A PUBLISH refused while the connection comes back is tried again after these waits. */
const PUBLISH_RETRY_DELAYS_MS = [100, 300, 600];

/** A PUBLISH on a connection that died silently would wait forever; it counts as failed after this. */
const PUBLISH_TIMEOUT_MS = 1_000;

/** After the request gave up, the announcement is tried again this often, until the TTL has run. */
const REANNOUNCE_EVERY_MS = 1_000;

/** Monotonic: a wall clock set back (NTP, an operator) must not keep an entry past its TTL. */
const monotonicNow = (): number => performance.now();

interface Entry {
  readonly caller: Caller;
  /** When this instance asks the database again, whatever it heard (monotonic ms). */
  readonly staleAt: number;
  /** The token's own expiry (null: none), checked on every hit against the wall clock. */
  readonly tokenExpiresAt: number | null;
  /** Personal tokens: when this instance last recorded a use (monotonic ms). */
  markedAt: number;
}

export interface CachedCredential {
  readonly caller: Caller;
  readonly tokenExpiresAt: number | null;
}

/**
 * Checked bearer tokens, by token hash, for AUTH_CACHE_TTL_SECONDS. A change to who a token is
 * (revocation, membership, role, an org deleted or its limit changed) is announced on Redis once it
 * committed, and every instance, this one included, empties its cache when the message arrives.
 * An instance caches only while it knows it hears those messages: subscribed, and its connection
 * answered a PING within SUBSCRIBER_SILENT_AFTER_MS. Otherwise (no Redis, Redis down, reconnecting,
 * a connection gone silent) it looks every token up.
 */
@Injectable()
export class CredentialCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CredentialCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly channel: string;
  private subscriber: Redis | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private listening = false;
  /** When the last PING that was answered was sent: every announcement before it was heard. */
  private heardUpTo = -Infinity;
  private pingSentAt: number | null = null;
  /** Bumped by every change heard: a lookup that began before it must not be cached after it. */
  private generation = 0;
  /** While an announcement that failed is tried again: until when it is worth it. */
  private reannounceUntil: number | null = null;
  private reannouncer: NodeJS.Timeout | null = null;

  constructor(
    @Optional() @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.ttlMs = config.AUTH_CACHE_TTL_SECONDS * 1000;
    this.channel = config.AUTH_CACHE_CHANNEL;
  }

  onModuleInit(): void {
    if (!this.redis || this.ttlMs === 0) return;
    // A subscribed connection sends only SUBSCRIBE and PING, one at a time: nothing to batch.
    const subscriber = this.redis.duplicate({ lazyConnect: true, enableAutoPipelining: false });
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string) => {
      if (channel === this.channel) this.forget();
    });
    // Whatever was published while the connection was away is lost: forget, stop until subscribed.
    subscriber.on('close', () => this.stopListening());
    subscriber.on('error', () => this.stopListening());
    subscriber.on('ready', () => void this.listen(subscriber));
    this.keepalive = setInterval(() => this.ping(subscriber), PING_EVERY_MS);
    this.keepalive.unref();
    // In the background: an API whose Redis is down still starts, and looks every token up.
    subscriber.connect().catch((error: unknown) => {
      this.logger.warn(`credential cache off until Redis answers: ${String(error)}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.keepalive) clearInterval(this.keepalive);
    if (this.reannouncer) clearTimeout(this.reannouncer);
    this.reannounceUntil = null;
    this.stopListening();
    this.subscriber?.disconnect();
  }

  /** The caller behind a token hash, if this instance checked it lately and heard of no change. */
  get(tokenHash: string): CachedCredential | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    const now = monotonicNow();
    if (!this.trusted(now)) {
      this.forget();
      return undefined;
    }
    if (entry.staleAt <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry;
  }

  /** A marker taken before a lookup, so `remember` can tell whether a change was heard since. */
  mark(): number {
    return this.generation;
  }

  remember(tokenHash: string, since: number, credential: CachedCredential): void {
    const now = monotonicNow();
    if (!this.trusted(now) || since !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { ...credential, staleAt: now + this.ttlMs, markedAt: now });
  }

  /** Whether a personal token's use is due to be recorded again (and notes that it now is). */
  useDue(tokenHash: string, everyMs: number): boolean {
    const entry = this.entries.get(tokenHash);
    const now = monotonicNow();
    if (!entry || now - entry.markedAt < everyMs) return false;
    entry.markedAt = now;
    return true;
  }

  /**
   * After a change to credentials committed: this instance forgets at once, the others when the
   * message arrives. A PUBLISH is tried again for about two seconds; if none succeeds this throws
   * CREDENTIAL_CHANGE_NOT_ANNOUNCED, since an instance that still reaches Redis may then answer from
   * memory until AUTH_CACHE_TTL_SECONDS ran out, and the caller must not be told otherwise. The
   * announcement is then tried again in the background until it goes out or the TTL has run (after
   * which no instance holds anything checked before the change): repeating the request would not
   * do it, since a revocation or removal repeated is refused before anything is announced.
   */
  async changed(): Promise<void> {
    this.forget();
    if (!this.redis) return;
    let failure: unknown;
    for (const delayMs of [0, ...PUBLISH_RETRY_DELAYS_MS]) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (
        await this.announce().then(
          () => true,
          (error: unknown) => ((failure = error), false),
        )
      )
        return;
    }
    this.logger.warn(
      `could not announce a credential change, trying again in the background: ${String(failure)}`,
    );
    this.reannounceLater();
    const ttlSeconds = this.ttlMs / 1000;
    throw new DomainError(
      'unavailable',
      'CREDENTIAL_CHANGE_NOT_ANNOUNCED',
      `The change is saved, but other API instances could not be told yet (Redis did not answer): ` +
        `until they are, and for at most ${ttlSeconds} s, they may still accept the old credentials. ` +
        `This instance keeps trying to tell them.`,
    );
  }

  private announce(): Promise<number> {
    return withTimeout(this.redis!.publish(this.channel, String(Date.now())), PUBLISH_TIMEOUT_MS);
  }

  /** One loop at a time; a later failure only moves its end. */
  private reannounceLater(): void {
    this.reannounceUntil = monotonicNow() + this.ttlMs;
    if (this.reannouncer) return;
    const attempt = (): void => {
      this.reannouncer = null;
      if (this.reannounceUntil === null || monotonicNow() >= this.reannounceUntil) {
        this.reannounceUntil = null;
        return;
      }
      this.announce().then(
        () => {
          this.reannounceUntil = null;
          this.logger.log('announced a credential change that had failed before');
        },
        () => schedule(),
      );
    };
    const schedule = (): void => {
      this.reannouncer = setTimeout(attempt, REANNOUNCE_EVERY_MS);
      this.reannouncer.unref();
    };
    schedule();
  }

  private trusted(now: number): boolean {
    return this.listening && now - this.heardUpTo < SUBSCRIBER_SILENT_AFTER_MS;
  }

  private async listen(subscriber: Redis): Promise<void> {
    try {
      // Said again on every reconnect: only once Redis confirms is a message sure to arrive.
      const sentAt = monotonicNow();
      await subscriber.subscribe(this.channel);
      this.forget();
      this.heardUpTo = sentAt;
      this.listening = true;
    } catch (error) {
      this.logger.warn(`credential cache off, could not subscribe: ${String(error)}`);
    }
  }

  private ping(subscriber: Redis): void {
    if (!this.listening) return;
    const now = monotonicNow();
    if (this.pingSentAt !== null) {
      if (now - this.pingSentAt < SUBSCRIBER_SILENT_AFTER_MS) return;
      this.logger.warn(
        `credential cache off: Redis answered no PING for ${SUBSCRIBER_SILENT_AFTER_MS} ms, reconnecting`,
      );
      this.pingSentAt = null;
      this.stopListening();
      subscriber.disconnect(true);
      return;
    }
    this.pingSentAt = now;
    subscriber.ping().then(
      () => {
        if (this.pingSentAt !== now) return;
        this.pingSentAt = null;
        // Replies and messages arrive in order on one connection: all published before it was heard.
        this.heardUpTo = now;
      },
      () => {
        if (this.pingSentAt === now) this.pingSentAt = null;
      },
    );
  }

  private stopListening(): void {
    this.listening = false;
    this.forget();
  }

  private forget(): void {
    this.generation++;
    this.entries.clear();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
