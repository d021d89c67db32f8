import type { ScanCanceller, UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { repoNotFound } from './get-repository.use-case';

export interface DisconnectRepositoryCommand {
  readonly caller: Caller;
  readonly orgId: string;
  readonly repoId: string;
  /** Deletes the findings and scan history too; otherwise they stay for the audit trail. */
  readonly purge: boolean;
}

/**
 * Removes the repository with its sealed credentials, and cancels its scan. The row is locked
 * first: a scan step writing for it meanwhile either commits before (and a purge deletes what it
 * wrote) or finds the repository gone and writes nothing.
 */
export class DisconnectRepository {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scans: ScanCanceller,
  ) {}

  async execute({ caller, orgId, repoId, purge }: DisconnectRepositoryCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ repositories, sealedSecrets, audit }) => {
      const repo = await repositories.lock(repoId);
      if (!repo || repo.orgId !== orgId) throw repoNotFound(repoId);
      if (purge) await repositories.purgeHistory(repo);
      const secrets = await sealedSecrets.removeOwnedBy(repo.orgId, repo.id);
      await repositories.remove(repo);
      audit.record(caller.actor, {
        orgId: repo.orgId,
        action: 'repo.disconnected',
        targetType: 'repository',
        targetId: repo.id,
        metadata: { full_name: `${repo.owner}/${repo.name}`, purge, secrets_deleted: secrets },
      });
    });
    // After the commit, best effort: a scan not stopped here ends at its next step anyway.
    await this.scans
      .cancel(repoId, purge ? 'repository purged' : 'repository disconnected')
      .catch(() => undefined);
  }
}
