import type { StoredNotificationRule, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListNotificationRulesCommand {
  readonly caller: OrgCaller;
}

/** The org's rules, oldest first, each with its mutes. */
export class ListNotificationRules {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller }: ListNotificationRulesCommand): Promise<StoredNotificationRule[]> {
    return this.uow.read(caller.scope, ({ notificationRules }) => notificationRules.list(caller.orgId));
  }
}
