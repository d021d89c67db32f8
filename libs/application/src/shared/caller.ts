import { ForbiddenError, type AuditContext, type Role, type TenantScope } from '@repoguard/domain';

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

/**
 * The user behind a caller that must be a user signed in with their own personal token (their
 * tokens, accepting an invitation for themselves): API keys and the instance admin are no user.
 */
export function userIdOf(caller: Caller, code = 'USER_TOKEN_REQUIRED'): string {
  if (caller.actor.actorType !== 'user' || !caller.actor.actorId) {
    throw new ForbiddenError(
      code,
      'Only a user signed in with their own personal token (rg_pat_…) may do this',
    );
  }
  return caller.actor.actorId;
}
