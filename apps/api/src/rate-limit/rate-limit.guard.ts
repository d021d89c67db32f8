import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { Reflector } from '@nestjs/core';
import { RateLimitedError } from '@repoguard/domain';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { ApiMetrics } from '@repoguard/infrastructure';
import { RATE_LIMIT_BY_IP } from './rate-limit-by-ip.decorator';
import type { ApiRequest } from '../common/api-request';
import { RateLimiters } from './rate-limiters';
import { addressKey } from './source-address';

/** Per-token request limits, after authentication; webhooks (no token) per source address. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly metrics: ApiMetrics,
    private readonly limiters: RateLimiters,
  ) {}

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
      key = `ip:${addressKey(request.ip)}`;
    } else {
      return true; // other public routes
    }
    const response = context.switchToHttp().getResponse<Response>();
    try {
      const result = await (await this.limiters.perMinute('rl', limit)).consume(key);
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
}
