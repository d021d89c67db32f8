import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { REDIS } from '../redis/redis.module';

const WINDOW_SECONDS = 60;

/**
 * One-minute windows (rate-limiter-flexible), opened by a key's first request and counted in Redis
 * so every API instance shares them. Without REDIS_URL, or while Redis is down, each instance
 * counts in memory instead (the insurance limiter): limits keep holding, per instance, rather than
 * failing open or refusing everyone.
 */
@Injectable()
export class RateLimiters {
  private readonly logger = new Logger('RateLimit');
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(@Optional() @Inject(REDIS) private readonly redis: Redis | null) {
    if (!redis) this.logger.warn('REDIS_URL is not set: rate limits are counted in memory, per API instance');
  }

  /** The limiter of `points` per minute whose Redis keys start with `rg:<name>:<points>:`. */
  async perMinute(name: string, points: number): Promise<RateLimiterAbstract> {
    const id = `${name}:${points}`;
    let limiter = this.limiters.get(id);
    if (limiter) return limiter;
    const memory = new RateLimiterMemory({
      keyPrefix: `rg-${name}-${points}`,
      points,
      duration: WINDOW_SECONDS,
    });
    if (this.redis) {
      if (this.redis.status === 'wait') await this.redis.connect().catch(() => undefined);
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `rg:${name}:${points}`,
        points,
        duration: WINDOW_SECONDS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    } else {
      limiter = memory;
    }
    this.limiters.set(id, limiter);
    return limiter;
  }
}
