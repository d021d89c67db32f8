import type { AuditContext, Role, TenantScope } from '@repoguard/domain';

/** Who asks, as every command carries it: what they may see and how their changes are audited. */
export interface Caller {
  readonly scope: TenantScope;
  readonly actor: AuditContext;
}

/** A caller acting in one org (the access guard checked the permission), with their role there. */
export interface OrgCaller extends Caller {
  readonly orgId: string;
  readonly role: Role;
}

/** `user:<id>`, `api_key:<id>`, ...: how a caller is named on what they create. */
export const callerName = (caller: Caller): string =>
  `${caller.actor.actorType}:${caller.actor.actorId ?? 'unknown'}`;
