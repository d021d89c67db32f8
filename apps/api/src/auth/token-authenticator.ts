import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { tokenKindOf, UnauthenticatedError, type Role } from '@repoguard/domain';
import {
  ApiKeyEntity,
  hashToken,
  MembershipEntity,
  OrganizationEntity,
  PersonalTokenEntity,
  secretsEqual,
} from '@repoguard/infrastructure';
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
    const em = this.em.fork();
    const now = new Date();
    switch (tokenKindOf(token)) {
      case 'personal': {
        const pat = await em.findOne(PersonalTokenEntity, { tokenHash: hashToken(token), revokedAt: null });
        if (!pat) throw INVALID();
        const memberships = await em.find(MembershipEntity, { userId: pat.userId });
        const roles = new Map(memberships.map((m) => [m.orgId, m.role as Role]));
        return {
          principal: { kind: 'user', id: pat.userId, tokenId: pat.id, roles },
          rateLimitPerMinute: await this.rateLimit(em, [...roles.keys()]),
        };
      }
      case 'api_key': {
        const key = await em.findOne(ApiKeyEntity, { tokenHash: hashToken(token), revokedAt: null });
        if (!key || (key.expiresAt && key.expiresAt <= now)) throw INVALID();
        return {
          principal: {
            kind: 'api_key',
            id: key.id,
            tokenId: key.id,
            roles: new Map([[key.orgId, key.role]]),
          },
          rateLimitPerMinute: await this.rateLimit(em, [key.orgId]),
        };
      }
      default:
        throw INVALID();
    }
  }

  /** A token used in several orgs gets the most generous of their limits. */
  private async rateLimit(em: EntityManager, orgIds: string[]): Promise<number> {
    if (orgIds.length === 0) return this.config.RATE_LIMIT_PER_MINUTE;
    const orgs = await em.find(
      OrganizationEntity,
      { id: { $in: orgIds } },
      { fields: ['rateLimitPerMinute'] },
    );
    return Math.max(...orgs.map((o) => o.rateLimitPerMinute ?? this.config.RATE_LIMIT_PER_MINUTE));
  }
}
