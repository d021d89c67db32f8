import type { UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { sshDeployKeyNotFound } from './get-ssh-deploy-key.use-case';

export interface DeleteSshDeployKeyCommand {
  readonly caller: OrgCaller;
}

/**
 * Removes the org's ssh deploy key (even one that can no longer be opened): its ssh:// repositories
 * are refused until a new one is made.
 */
export class DeleteSshDeployKey {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller }: DeleteSshDeployKeyCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ sshDeployKeys, audit }) => {
      if (!(await sshDeployKeys.remove(caller.orgId))) throw sshDeployKeyNotFound();
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'ssh_deploy_key.removed',
        targetType: 'organization',
        targetId: caller.orgId,
      });
    });
  }
}
