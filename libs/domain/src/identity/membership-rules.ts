import { ConflictError, ForbiddenError } from '../errors';
import { canGrant, type Role } from './role.value-object';

/** An org must always keep an owner: nobody could manage owners or delete it otherwise. */
export function assertOwnerRemains(ownerCount: number, currentRole: Role, nextRole: Role | null): void {
  if (currentRole === 'owner' && nextRole !== 'owner' && ownerCount <= 1) {
    throw new ConflictError('LAST_OWNER', 'The last owner of an organization cannot be removed or demoted', [
      { field: 'role', problem: 'the organization must keep at least one owner' },
    ]);
  }
}

/**
 * A role may be granted (by invitation, role change or API key) only by a role allowed to grant
 * it; changing or removing an owner takes an owner too.
 */
export function assertMayChangeMember(actor: Role, currentRole: Role, nextRole: Role | null): void {
  if (!canGrant(actor, currentRole) || (nextRole !== null && !canGrant(actor, nextRole))) {
    throw new ForbiddenError(
      'FORBIDDEN',
      `The ${actor} role may not manage ${currentRole === 'owner' || nextRole === 'owner' ? 'owners' : 'members'}`,
    );
  }
}

export function assertMayGrant(actor: Role, granted: Role): void {
  if (!canGrant(actor, granted)) {
    throw new ForbiddenError('FORBIDDEN', `The ${actor} role may not grant the ${granted} role`);
  }
}

/**
 * Revoking a key takes a role allowed to grant the key's role, as changing a member does: an admin
 * cannot revoke an owner's key (which would cut off an owner's automation).
 */
export function assertMayRevokeApiKey(actor: Role, keyRole: Role): void {
  if (!canGrant(actor, keyRole)) {
    throw new ForbiddenError(
      'FORBIDDEN',
      `The ${actor} role may not revoke an API key with the ${keyRole} role`,
    );
  }
}
