import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { Reflector } from '@nestjs/core';
import { RateLimitedError } from '@repoguard/domain';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { ApiMetrics } from '@repoguard/infrastructure';
import { RATE_LIMIT_BY_IP } from './rate-limit-by-ip.decorator';
import type { ApiRequest } from '../common/api-request';
import { REDIS } from '../redis/redis.module';

const WINDOW_SECONDS = 60;

/**
 * Per-token request limits (rate-limiter-flexible): a window of one minute opened by the token's
 * first request, counted in Redis so every API instance shares it. Without REDIS_URL, or while
 * Redis is down, each instance counts in memory instead (the insurance limiter), with a warning.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimit');
  private readonly limiters = new Map<number, RateLimiterAbstract>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly metrics: ApiMetrics,
    @Optional() @Inject(REDIS) private readonly redis: Redis | null,
  ) {
    if (!redis) this.logger.warn('REDIS_URL is not set: rate limits are counted in memory, per API instance');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const caller = request.user;
    let limit: number;
    let key: string;
    if (caller) {
      limit = caller.rateLimitPerMinute;
      key = caller.principal.tokenId;
    } else if (this.reflector.get<boolean>(RATE_LIMIT_BY_IP, context.getHandler())) {
      limit = this.config.WEBHOOK_RATE_LIMIT_PER_MINUTE;
      key = `ip:${request.ip ?? 'unknown'}`;
    } else {
      return true; // other public routes
    }
    const response = context.switchToHttp().getResponse<Response>();
    try {
      const result = await (await this.limiter(limit)).consume(key);
      this.setHeaders(response, limit, result);
      return true;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.setHeaders(response, limit, rejection);
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      this.metrics.rateLimited.inc({ kind: caller ? 'token' : 'address' });
      throw new RateLimitedError(
        `Rate limit of ${limit} requests per minute reached; retry in ${retryAfter} s`,
        retryAfter,
      );
    }
  }

  private setHeaders(response: Response, limit: number, result: RateLimiterRes): void {
    response.setHeader('X-RateLimit-Limit', String(limit));
    response.setHeader('X-RateLimit-Remaining', String(Math.max(0, result.remainingPoints)));
    response.setHeader('X-RateLimit-Reset', String(Math.ceil((Date.now() + result.msBeforeNext) / 1000)));
  }

  private async limiter(points: number): Promise<RateLimiterAbstract> {
    let limiter = this.limiters.get(points);
    if (limiter) return limiter;
    const memory = new RateLimiterMemory({ keyPrefix: `rg-rl-${points}`, points, duration: WINDOW_SECONDS });
    if (this.redis) {
      if (this.redis.status === 'wait') await this.redis.connect().catch(() => undefined);
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `rg:rl:${points}`,
        points,
        duration: WINDOW_SECONDS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    } else {
      limiter = memory;
    }
    this.limiters.set(points, limiter);
    return limiter;
  }
}
