import type { Clock, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface DeleteOrganizationCommand {
  readonly caller: OrgCaller;
}

/**
 * Ends all access to the org at once (memberships, keys, pending invitations) and keeps its rows:
 * the audit log, which nothing may delete, still has to make sense.
 */
export class DeleteOrganization {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute({ caller }: DeleteOrganizationCommand): Promise<void> {
    const { orgId } = caller;
    await this.uow.transaction(caller.scope, async (stores) => {
      const { organizations, memberships, apiKeys, invitations, audit } = stores;
      const now = this.clock.now();
      const org = await organizations.markDeleted(orgId, now);
      const removed = await memberships.removeAll(orgId);
      await apiKeys.revokeAll(orgId, now);
      await invitations.expirePending(orgId, now);
      audit.record(caller.actor, {
        orgId,
        action: 'org.deleted',
        targetType: 'organization',
        targetId: orgId,
        metadata: { slug: org.slug, memberships_removed: removed },
      });
    });
  }
}
