import type { UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { ruleAuditMetadata, ruleNotFound } from './notification-rule-checks';

export interface DeleteNotificationRuleCommand {
  readonly caller: OrgCaller;
  readonly ruleId: string;
}

/**
 * The rule and its mutes go; deliveries it made stay in the log (their rule_ids keep its id). A
 * digest rule's Temporal Schedule goes at the schedule reconciler's next round.
 */
export class DeleteNotificationRule {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, ruleId }: DeleteNotificationRuleCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ notificationRules, audit }) => {
      const rule = await notificationRules.get(caller.orgId, ruleId, true);
      if (!rule) throw ruleNotFound(ruleId);
      await notificationRules.remove(caller.orgId, ruleId);
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'notification_rule.deleted',
        targetType: 'notification_rule',
        targetId: rule.id,
        metadata: ruleAuditMetadata(rule),
      });
    });
  }
}
