import type { ApiKeyRecord, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListApiKeysCommand {
  readonly caller: OrgCaller;
}

/** The org's keys, newest first, revoked ones included (never their secrets). */
export class ListApiKeys {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller }: ListApiKeysCommand): Promise<ApiKeyRecord[]> {
    return this.uow.read(caller.scope, ({ apiKeys }) => apiKeys.list(caller.orgId));
  }
}
