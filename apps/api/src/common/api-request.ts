import type { Request } from 'express';
import type { AuditContext, Principal, Role, TenantScope } from '@repoguard/domain';

/** What authentication found: the principal and the rate limit its token runs under. */
export interface Caller {
  readonly principal: Principal;
  readonly rateLimitPerMinute: number;
}

/** What the access guard decided for this request; commands carry it to the use cases (callerOf). */
export interface RequestAccess {
  readonly principal: Principal;
  /** The org the request acts in; null for routes that are not about one org (GET /orgs/me). */
  readonly orgId: string | null;
  readonly role: Role | null;
  /** The caller's orgs: every use case's unit of work sees only these. */
  readonly scope: TenantScope;
  readonly audit: AuditContext;
}

export interface ApiRequest extends Request {
  user?: Caller;
  access?: RequestAccess;
  correlationId?: string;
}
