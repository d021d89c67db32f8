import type { UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { repoNotFound } from './get-repository.use-case';

export interface DisconnectRepositoryCommand {
  readonly caller: Caller;
  readonly orgId: string;
  readonly repoId: string;
  /** Deletes the findings and scan history too; otherwise they stay for the audit trail. */
  readonly purge: boolean;
}

export class DisconnectRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, orgId, repoId, purge }: DisconnectRepositoryCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ repositories, audit }) => {
      const repo = await repositories.get(repoId);
      if (!repo || repo.orgId !== orgId) throw repoNotFound(repoId);
      if (purge) await repositories.purgeHistory(repo);
      await repositories.remove(repo);
      audit.record(caller.actor, {
        orgId: repo.orgId,
        action: 'repo.disconnected',
        targetType: 'repository',
        targetId: repo.id,
        metadata: { full_name: `${repo.owner}/${repo.name}`, purge },
      });
    });
  }
}
