import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError, RateLimitedError } from '@repoguard/domain';
import { ApiMetrics } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { RateLimiters } from './rate-limiters';
import { addressKey } from './source-address';

/**
 * Limits per source address that hold before anyone is identified, so neither a flood nor a stream
 * of guessed tokens costs a database query each: every request to /api/v1
 * (PRE_AUTH_RATE_LIMIT_PER_MINUTE), and failed credential checks (FAILED_AUTH_LIMIT_PER_MINUTE):
 * an address that has used up its failures is refused before its next lookup. Good credentials
 * cost one Redis read and count nothing, so a busy client is never refused for being busy; the
 * lookups an address can cause per minute are its budget plus the checks it had in flight when
 * the budget ran out.
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
    try {
      await (await this.limiters.perMinute('pre', limit)).consume(addressKey(ip));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw this.refusal('source_address', 'Too many requests from this address', rejection);
    }
  }

  /** Throws RateLimitedError, before any lookup, when the address has failed too many checks. */
  async assertMayCheckCredential(ip: string | undefined): Promise<void> {
    const failures = await this.failures();
    const counted = await failures.get(addressKey(ip));
    if (counted && counted.consumedPoints >= this.config.FAILED_AUTH_LIMIT_PER_MINUTE) {
      throw this.refusal('failed_auth', 'Too many failed credential checks from this address', counted);
    }
  }

  /**
   * Counts a credential check that failed for the client's reasons (an unknown, revoked, used or
   * expired credential); a dependency being down is nobody's failed attempt. Never throws.
   */
  async countFailedCheck(ip: string | undefined, error: unknown): Promise<void> {
    if (!(error instanceof DomainError) || error.kind === 'unavailable' || error.kind === 'rate_limited')
      return;
    try {
      await (await this.failures()).penalty(addressKey(ip), 1);
    } catch (failure) {
      this.logger.warn(`Could not count a failed credential check: ${String(failure)}`);
    }
  }

  private failures() {
    return this.limiters.perMinute('authfail', this.config.FAILED_AUTH_LIMIT_PER_MINUTE);
  }

  private refusal(kind: string, what: string, result: RateLimiterRes): RateLimitedError {
    const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    this.metrics.rateLimited.inc({ kind });
    return new RateLimitedError(`${what}; retry in ${retryAfter} s`, retryAfter);
  }
}
