import { ForbiddenError, NotFoundError } from '../errors';
import type { ActorType } from '../audit/actor-type';
import { can, type Permission, type Role } from './role.value-object';

/**
 * Who is calling: a user through a personal token (a role per org they belong to), an org API key
 * (its own role, in its one org), or the instance administrator (bootstraps orgs, reads no tenant data).
 */
export interface Principal {
  readonly kind: 'user' | 'api_key' | 'instance_admin';
  /** The user's or the key's id; the instance administrator has none. */
  readonly id: string | null;
  /** The token that authenticated the request: rate limits count per token. */
  readonly tokenId: string;
  readonly roles: ReadonlyMap<string, Role>;
}

export function orgIdsOf(principal: Principal): string[] {
  return [...principal.roles.keys()];
}

export function actorOf(principal: Principal): { actorType: ActorType; actorId: string | null } {
  switch (principal.kind) {
    case 'user':
      return { actorType: 'user', actorId: principal.id };
    case 'api_key':
      return { actorType: 'api_key', actorId: principal.id };
    case 'instance_admin':
      return { actorType: 'system', actorId: 'instance-admin' };
  }
}

/**
 * The instance administrator's token asked for an org's data or a user's own: it belongs to no org
 * and no user, and says so rather than answering as if the org did not exist.
 */
export function adminTokenRefused(): ForbiddenError {
  return new ForbiddenError(
    'ADMIN_TOKEN_ORG_ROUTE',
    "The instance administrator token only creates organizations (POST /api/v1/orgs); for an org's " +
      "data use its owner's personal token (answered by POST /api/v1/orgs) or an org API key",
  );
}

/**
 * The caller's role in the org, if the permission allows the action. An org the caller does not
 * belong to does not exist for it (404, never 403): ids of other tenants must reveal nothing.
 */
export function authorize(principal: Principal, orgId: string, permission: Permission): Role {
  if (principal.kind === 'instance_admin') throw adminTokenRefused();
  const role = principal.roles.get(orgId);
  if (!role) throw new NotFoundError('NOT_FOUND', 'No such resource');
  if (!can(role, permission)) {
    throw new ForbiddenError('FORBIDDEN', `The ${role} role may not do this (needs ${permission})`);
  }
  return role;
}
