import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Caller } from '../common/api-request';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { REDIS } from '../redis/redis.module';

/** Every API instance subscribes here; a message means "forget every token you checked". */
export const CREDENTIALS_CHANGED_CHANNEL = 'repoguard:credentials-changed';

/** Bounds memory against a flood of distinct valid tokens; the oldest entry goes first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly caller: Caller;
  /** When this instance asks the database again, whatever it heard. */
  readonly staleAt: number;
  /** The token's own expiry (null: none), checked on every hit. */
  readonly tokenExpiresAt: number | null;
  /** Personal tokens: when this instance last recorded a use (last_used_at moves once a minute). */
  markedAt: number;
}

export interface CachedCredential {
  readonly caller: Caller;
  readonly tokenExpiresAt: number | null;
}

/**
 * Checked bearer tokens, by token hash, for AUTH_CACHE_TTL_SECONDS. A change to who a token is
 * (revocation, membership, role, an org deleted or its limit changed) publishes on Redis, and every
 * instance, this one included, empties its cache when the message arrives. While this instance is
 * not subscribed (no Redis, Redis down, reconnecting) it caches nothing: a revocation it could not
 * hear about must not be answered from memory.
 */
@Injectable()
export class CredentialCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CredentialCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private subscriber: Redis | null = null;
  private listening = false;
  /** Bumped by every change heard: a lookup that began before it must not be cached after it. */
  private generation = 0;

  constructor(
    @Optional() @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.ttlMs = config.AUTH_CACHE_TTL_SECONDS * 1000;
  }

  onModuleInit(): void {
    if (!this.redis || this.ttlMs === 0) return;
    const subscriber = this.redis.duplicate({ lazyConnect: true });
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string) => {
      if (channel === CREDENTIALS_CHANGED_CHANNEL) this.forget();
    });
    // Whatever was published while the connection was away is lost: forget, stop until subscribed.
    subscriber.on('close', () => this.stopListening());
    subscriber.on('error', () => this.stopListening());
    subscriber.on('ready', () => void this.listen(subscriber));
    // In the background: an API whose Redis is down still starts, and looks every token up.
    subscriber.connect().catch((error: unknown) => {
      this.logger.warn(`credential cache off until Redis answers: ${String(error)}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopListening();
    this.subscriber?.disconnect();
  }

  /** The caller behind a token hash, if this instance checked it lately and heard of no change. */
  get(tokenHash: string, now: number): CachedCredential | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (!this.listening || entry.staleAt <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry;
  }

  /** A marker taken before a lookup, so `remember` can tell whether a change was heard since. */
  mark(): number {
    return this.generation;
  }

  remember(tokenHash: string, since: number, credential: CachedCredential, now: number): void {
    if (!this.listening || since !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { ...credential, staleAt: now + this.ttlMs, markedAt: now });
  }

  /** Whether a personal token's use is due to be recorded again (and notes that it now is). */
  useDue(tokenHash: string, now: number, everyMs: number): boolean {
    const entry = this.entries.get(tokenHash);
    if (!entry || now - entry.markedAt < everyMs) return false;
    entry.markedAt = now;
    return true;
  }

  /**
   * After a change to credentials committed: this instance forgets at once, the others when the
   * message arrives. A publish that fails (Redis down) reaches no one, but then no instance is
   * subscribed either, so none answers from memory.
   */
  async changed(): Promise<void> {
    this.forget();
    if (!this.redis) return;
    try {
      await this.redis.publish(CREDENTIALS_CHANGED_CHANNEL, String(Date.now()));
    } catch (error) {
      this.logger.warn(`could not announce a credential change: ${String(error)}`);
    }
  }

  private async listen(subscriber: Redis): Promise<void> {
    try {
      // Said again on every reconnect: only once Redis confirms is a message sure to arrive.
      await subscriber.subscribe(CREDENTIALS_CHANGED_CHANNEL);
      this.forget();
      this.listening = true;
    } catch (error) {
      this.logger.warn(`credential cache off, could not subscribe: ${String(error)}`);
    }
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
