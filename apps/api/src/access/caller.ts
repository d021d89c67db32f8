import type { Caller, OrgCaller } from '@repoguard/application';
import type { RequestAccess } from '../common/api-request';

/** The caller as commands carry it. */
export const callerOf = (access: RequestAccess): Caller => ({ scope: access.scope, actor: access.audit });

/** For routes with an org rule: the guard found the org and the caller's role in it. */
export function orgCallerOf(access: RequestAccess): OrgCaller {
  if (!access.orgId || !access.role) throw new Error('orgCallerOf used on a route without an org rule');
  return { ...callerOf(access), orgId: access.orgId, role: access.role };
}
