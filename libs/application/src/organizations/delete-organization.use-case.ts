import { mapBounded, type Clock, type ScanCanceller, type UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface DeleteOrganizationCommand {
  readonly caller: OrgCaller;
}

/** Scan workflows cancelled at once; more would queue up on one Temporal connection anyway. */
const CANCEL_CONCURRENCY = 8;

/**
 * Ends all access to the org at once and leaves nothing of it live: memberships, API keys and
 * pending invitations, its sealed secrets (every kind), its GitHub installations, connected
 * repositories and rescan schedule, all in one transaction; then, after the commit, its running scans are cancelled.
 * The org's row and history stay: the audit log, which nothing may delete, still has to make sense.
 */
export class DeleteOrganization {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly scans: ScanCanceller,
  ) {}

  async execute({ caller }: DeleteOrganizationCommand): Promise<void> {
    const { orgId } = caller;
    const repoIds = await this.uow.transaction(caller.scope, async (stores) => {
      const { organizations, memberships, apiKeys, invitations, audit } = stores;
      const now = this.clock.now();
      const org = await organizations.markDeleted(orgId, now);
      const removed = await memberships.removeAll(orgId);
      await apiKeys.revokeAll(orgId, now);
      await invitations.expirePending(orgId, now);
      const secrets = await stores.sealedSecrets.removeAllOf(orgId);
      const installations = await stores.githubInstallations.unlinkAll(orgId);
      const repos = await stores.repositories.removeAllOf(orgId);
      // Its rescan Schedule goes at the reconciler's next round (its digest rules' too: a deleted
      // org's rules are not read), so nothing keeps scanning for an org that is gone.
      await stores.rescanSchedules.remove(orgId);
      audit.record(caller.actor, {
        orgId,
        action: 'org.deleted',
        targetType: 'organization',
        targetId: orgId,
        metadata: {
          slug: org.slug,
          memberships_removed: removed,
          secrets_deleted: secrets,
          installations_unlinked: installations,
          repositories_disconnected: repos.length,
        },
      });
      return repos;
    });
    // Best effort, after the commit: a scan not stopped here (Temporal down) ends at its next
    // step, which refuses to write for a repository that is gone.
    await mapBounded(repoIds, CANCEL_CONCURRENCY, (repoId) =>
      this.scans.cancel(repoId, 'organization deleted').catch(() => undefined),
    );
  }
}
