import type { OrganizationRecord, UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface ListMyOrganizationsCommand {
  readonly caller: Caller;
}

/** The orgs the caller belongs to, oldest first. */
export class ListMyOrganizations {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller }: ListMyOrganizationsCommand): Promise<OrganizationRecord[]> {
    return this.uow.read(caller.scope, ({ organizations }) => organizations.listVisible());
  }
}
