import {
  assertMayChangeMember,
  assertOwnerRemains,
  NotFoundError,
  type MembershipRecord,
  type Role,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

/**
 * A role change (or, with `nextRole` null, a removal). The org's owners are locked first, so two
 * owners cannot demote each other at once and leave the org without one.
 */
export function changeMembership(
  uow: UnitOfWork,
  caller: OrgCaller,
  userId: string,
  nextRole: Role | null,
): Promise<MembershipRecord> {
  const { orgId } = caller;
  return uow.transaction(caller.scope, async ({ memberships, audit }) => {
    const owners = await memberships.lockOwners(orgId);
    const membership = await memberships.get(orgId, userId);
    if (!membership) throw new NotFoundError('MEMBER_NOT_FOUND', `No member with user id ${userId}`);
    const currentRole = membership.role;
    assertMayChangeMember(caller.role, currentRole, nextRole);
    assertOwnerRemains(owners.length, currentRole, nextRole);
    if (nextRole === null) {
      await memberships.remove(orgId, userId);
    } else {
      await memberships.setRole(orgId, userId, nextRole);
    }
    audit.record(caller.actor, {
      orgId,
      action: nextRole === null ? 'member.removed' : 'member.role_changed',
      targetType: 'user',
      targetId: userId,
      metadata: nextRole === null ? { role: currentRole } : { from: currentRole, to: nextRole },
    });
    return { ...membership, role: nextRole ?? currentRole };
  });
}
