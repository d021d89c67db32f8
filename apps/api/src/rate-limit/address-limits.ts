import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '@repoguard/domain';
import { ApiMetrics } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { RateLimiters } from './rate-limiters';
import { addressKey } from './source-address';

/**
 * Limits per source address that hold before anyone is identified, so neither a flood nor a
 * stream of guessed tokens costs a database query each: every request to /api/v1
 * (PRE_AUTH_RATE_LIMIT_PER_MINUTE), and every credential check (FAILED_AUTH_LIMIT_PER_MINUTE),
 * paid for before the lookup and given back when the credential was good, so only failures count
 * and the lookups an address can cause per minute are bounded even when it sends them all at once.
 */
@Injectable()
export class AddressLimits {
  private readonly logger = new Logger('RateLimit');

  constructor(
    private readonly limiters: RateLimiters,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly metrics: ApiMetrics,
  ) {}

  /** Throws RateLimitedError when the address has sent its requests for this minute. */
  async countRequest(ip: string | undefined): Promise<void> {
    const limit = this.config.PRE_AUTH_RATE_LIMIT_PER_MINUTE;
    await this.consume('pre', limit, ip, 'source_address', `Too many requests from this address`);
  }

  /** Pays for one credential check; throws RateLimitedError when the address has failed too often. */
  async spendCredentialCheck(ip: string | undefined): Promise<void> {
    const limit = this.config.FAILED_AUTH_LIMIT_PER_MINUTE;
    await this.consume(
      'authfail',
      limit,
      ip,
      'failed_auth',
      'Too many failed credential checks from this address',
    );
  }

  /** The credential was good: its check does not count against the address. Never throws. */
  async refundCredentialCheck(ip: string | undefined): Promise<void> {
    try {
      const limiter = await this.limiters.perMinute('authfail', this.config.FAILED_AUTH_LIMIT_PER_MINUTE);
      await limiter.reward(addressKey(ip), 1);
    } catch (error) {
      this.logger.warn(`Could not give back a credential check: ${String(error)}`);
    }
  }

  private async consume(
    name: string,
    limit: number,
    ip: string | undefined,
    kind: string,
    what: string,
  ): Promise<void> {
    try {
      await (await this.limiters.perMinute(name, limit)).consume(addressKey(ip));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      this.metrics.rateLimited.inc({ kind });
      throw new RateLimitedError(`${what}; retry in ${retryAfter} s`, retryAfter);
    }
  }
}
