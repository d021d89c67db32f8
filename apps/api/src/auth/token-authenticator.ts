import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { tokenKindOf, UnauthenticatedError, type Role } from '@repoguard/domain';
import { hashToken, secretsEqual } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import type { Caller } from '../common/api-request';

const INVALID = () =>
  new UnauthenticatedError('TOKEN_INVALID', 'The bearer token is unknown, revoked or expired');

/**
 * Turns a bearer token into a caller. Identity lookups are the one place that reads across orgs
 * (the token decides the orgs); everything after it goes through a tenant-scoped entity manager.
 */
@Injectable()
export class TokenAuthenticator {
  constructor(
    private readonly em: EntityManager,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async authenticate(token: string): Promise<Caller> {
    const admin = this.config.REPOGUARD_ADMIN_TOKEN;
    if (admin && secretsEqual(token, admin)) {
      return {
        principal: { kind: 'instance_admin', id: null, tokenId: 'instance-admin', roles: new Map() },
        rateLimitPerMinute: this.config.RATE_LIMIT_PER_MINUTE,
      };
    }
    // One query per request: this runs before every route.
    const knex = this.em.getKnex();
    switch (tokenKindOf(token)) {
      case 'personal': {
        const rows: {
          token_id: string;
          user_id: string;
          org_id: string | null;
          role: Role | null;
          limit: number | null;
        }[] = await knex('personal_tokens as t')
          .leftJoin('memberships as m', 'm.user_id', 't.user_id')
          .leftJoin('organizations as o', 'o.id', 'm.org_id')
          .where({ 't.token_hash': hashToken(token) })
          .whereNull('t.revoked_at')
          .select(
            't.id as token_id',
            't.user_id',
            'o.id as org_id',
            'm.role',
            'o.rate_limit_per_minute as limit',
          );
        const first = rows[0];
        if (!first) throw INVALID();
        const memberships = rows.filter((r) => r.org_id !== null && r.role !== null);
        return {
          principal: {
            kind: 'user',
            id: first.user_id,
            tokenId: first.token_id,
            roles: new Map(memberships.map((r) => [r.org_id!, r.role!])),
          },
          rateLimitPerMinute: this.rateLimit(memberships.map((r) => r.limit)),
        };
      }
      case 'api_key': {
        const key:
          | { id: string; org_id: string; role: Role; expires_at: string | Date | null; limit: number | null }
          | undefined = await knex('api_keys as k')
          .join('organizations as o', 'o.id', 'k.org_id')
          .where({ 'k.token_hash': hashToken(token) })
          .whereNull('k.revoked_at')
          .first('k.id', 'k.org_id', 'k.role', 'k.expires_at', 'o.rate_limit_per_minute as limit');
        // MikroORM's pg driver hands timestamps back as text.
        if (!key || (key.expires_at !== null && new Date(key.expires_at).getTime() <= Date.now()))
          throw INVALID();
        return {
          principal: {
            kind: 'api_key',
            id: key.id,
            tokenId: key.id,
            roles: new Map([[key.org_id, key.role]]),
          },
          rateLimitPerMinute: this.rateLimit([key.limit]),
        };
      }
      default:
        throw INVALID();
    }
  }

  /** A token used in several orgs gets the most generous of their limits. */
  private rateLimit(limits: readonly (number | null)[]): number {
    const fallback = this.config.RATE_LIMIT_PER_MINUTE;
    return limits.length === 0 ? fallback : Math.max(...limits.map((l) => l ?? fallback));
  }
}
