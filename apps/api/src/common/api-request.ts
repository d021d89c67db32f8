import type { Request } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal, Role, TenantScope } from '@repoguard/domain';
import type { AuditContext } from '@repoguard/infrastructure';

/** What authentication found: the principal and the rate limit its token runs under. */
export interface Caller {
  readonly principal: Principal;
  readonly rateLimitPerMinute: number;
}

/** What the access guard decided for this request; services act only through its scoped entity manager. */
export interface RequestAccess {
  readonly principal: Principal;
  /** The org the request acts in; null for routes that are not about one org (GET /orgs/me). */
  readonly orgId: string | null;
  readonly role: Role | null;
  /** The caller's orgs: every use case's unit of work sees only these. */
  readonly scope: TenantScope;
  /** Sees only the caller's orgs' rows (see tenantScoped). */
  readonly em: EntityManager;
  readonly audit: AuditContext;
}

export interface ApiRequest extends Request {
  user?: Caller;
  access?: RequestAccess;
  correlationId?: string;
}
