import { Inject, Injectable } from '@nestjs/common';
import {
  effectiveRateLimit,
  tokenKindOf,
  UnauthenticatedError,
  type CredentialLookup,
} from '@repoguard/domain';
import { hashToken, secretsEqual } from '@repoguard/infrastructure';
import { CREDENTIAL_LOOKUP } from '../composition/credential-lookup.provider';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import type { Caller } from '../common/api-request';
import { CredentialCache } from './credential-cache';

/** As the lookup's own statement: last_used_at moves at most once a minute. */
const USE_RECORDED_EVERY_MS = 60_000;

const INVALID = () =>
  new UnauthenticatedError('TOKEN_INVALID', 'The bearer token is unknown, revoked or expired');

/**
 * Turns a bearer token into a caller, from CredentialCache when this instance checked it lately.
 * Identity lookups are the one place that reads across orgs (the token decides the orgs);
 * everything after it goes through a tenant-scoped unit of work.
 */
@Injectable()
export class TokenAuthenticator {
  constructor(
    @Inject(CREDENTIAL_LOOKUP) private readonly credentials: CredentialLookup,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly cache: CredentialCache,
  ) {}

  async authenticate(token: string): Promise<Caller> {
    const admin = this.config.REPOGUARD_ADMIN_TOKEN;
    if (admin && secretsEqual(token, admin)) {
      return {
        principal: { kind: 'instance_admin', id: null, tokenId: 'instance-admin', roles: new Map() },
        rateLimitPerMinute: this.config.RATE_LIMIT_PER_MINUTE,
      };
    }
    const tokenHash = hashToken(token);
    const cached = this.cache.get(tokenHash);
    if (cached) {
      // Expiry is a date the token carries: the wall clock decides it, unlike the cache's own TTL.
      const now = Date.now();
      if (cached.tokenExpiresAt !== null && cached.tokenExpiresAt <= now) throw INVALID();
      const { principal } = cached.caller;
      if (principal.kind === 'user' && this.cache.useDue(tokenHash, USE_RECORDED_EVERY_MS)) {
        await this.credentials.markPersonalTokenUsed(principal.tokenId, new Date(now));
      }
      return cached.caller;
    }
    const since = this.cache.mark();
    const { caller, tokenExpiresAt } = await this.lookUp(token, tokenHash);
    this.cache.remember(tokenHash, since, { caller, tokenExpiresAt });
    return caller;
  }

  private async lookUp(
    token: string,
    tokenHash: string,
  ): Promise<{ caller: Caller; tokenExpiresAt: number | null }> {
    switch (tokenKindOf(token)) {
      case 'personal': {
        const holder = await this.credentials.personalToken(tokenHash);
        const now = new Date();
        if (!holder || (holder.expiresAt !== null && holder.expiresAt.getTime() <= now.getTime())) {
          throw INVALID();
        }
        await this.credentials.markPersonalTokenUsed(holder.tokenId, now);
        return {
          caller: {
            principal: {
              kind: 'user',
              id: holder.userId,
              tokenId: holder.tokenId,
              roles: new Map(holder.memberships.map((m) => [m.orgId, m.role])),
            },
            rateLimitPerMinute: this.rateLimit(holder.memberships.map((m) => m.rateLimitPerMinute)),
          },
          tokenExpiresAt: holder.expiresAt?.getTime() ?? null,
        };
      }
      case 'api_key': {
        const key = await this.credentials.apiKey(tokenHash);
        if (!key || (key.expiresAt !== null && key.expiresAt.getTime() <= Date.now())) throw INVALID();
        return {
          caller: {
            principal: {
              kind: 'api_key',
              id: key.keyId,
              tokenId: key.keyId,
              roles: new Map([[key.orgId, key.role]]),
            },
            rateLimitPerMinute: this.rateLimit([key.rateLimitPerMinute]),
          },
          tokenExpiresAt: key.expiresAt?.getTime() ?? null,
        };
      }
      default:
        throw INVALID();
    }
  }

  /** A token used in several orgs gets the most generous of their limits, at most the instance's. */
  private rateLimit(limits: readonly (number | null)[]): number {
    return effectiveRateLimit(limits, this.config.RATE_LIMIT_PER_MINUTE);
  }
}
