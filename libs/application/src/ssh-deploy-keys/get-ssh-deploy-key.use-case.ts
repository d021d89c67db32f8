import { NotFoundError, type SshDeployKeyView, type UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface GetSshDeployKeyCommand {
  readonly caller: OrgCaller;
}

/** The public half of the org's ssh deploy key; never the private one. */
export class GetSshDeployKey {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller }: GetSshDeployKeyCommand): Promise<SshDeployKeyView> {
    const key = await this.uow.read(caller.scope, ({ sshDeployKeys }) => sshDeployKeys.find(caller.orgId));
    if (!key) throw sshDeployKeyNotFound();
    return key;
  }
}

export function sshDeployKeyNotFound(): NotFoundError {
  return new NotFoundError(
    'SSH_DEPLOY_KEY_NOT_FOUND',
    'This organization has no ssh deploy key: create one with POST /orgs/{org_id}/ssh-keys',
  );
}
