import type { StoredNotificationRule, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { ruleNotFound } from './notification-rule-checks';

export interface GetNotificationRuleCommand {
  readonly caller: OrgCaller;
  readonly ruleId: string;
}

export class GetNotificationRule {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, ruleId }: GetNotificationRuleCommand): Promise<StoredNotificationRule> {
    const rule = await this.uow.read(caller.scope, ({ notificationRules }) =>
      notificationRules.get(caller.orgId, ruleId),
    );
    if (!rule) throw ruleNotFound(ruleId);
    return rule;
  }
}
