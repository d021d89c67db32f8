import type { UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { ruleNotFound } from './notification-rule-checks';

export interface UnmuteNotificationRuleCommand {
  readonly caller: OrgCaller;
  readonly ruleId: string;
  readonly repoId: string;
}

/** Ends a mute at once. Removing a mute that is not there changes nothing and records nothing. */
export class UnmuteNotificationRule {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, ruleId, repoId }: UnmuteNotificationRuleCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ notificationRules, audit }) => {
      const rule = await notificationRules.get(caller.orgId, ruleId, true);
      if (!rule) throw ruleNotFound(ruleId);
      if (!(await notificationRules.unmute(rule.id, repoId))) return;
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'notification_rule.unmuted',
        targetType: 'notification_rule',
        targetId: rule.id,
        metadata: { name: rule.name, repo_id: repoId },
      });
    });
  }
}
