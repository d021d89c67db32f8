import {
  applyNotificationRuleFields,
  parseNotificationRuleFields,
  type NotificationRule,
  type StoredNotificationRule,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import {
  checkRuleReferences,
  nameMustBeFree,
  ruleAuditMetadata,
  ruleNotFound,
} from './notification-rule-checks';

export interface UpdateNotificationRuleCommand {
  readonly caller: OrgCaller;
  readonly ruleId: string;
  /** The PATCH body: only the fields it names change (`enabled` to switch the rule on or off). */
  readonly body: unknown;
}

/**
 * Changes some of a rule's fields, checked as a whole afterwards; audited with what changed. The
 * schedule reconciler brings a digest rule's Temporal Schedule in line with the change.
 */
export class UpdateNotificationRule {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, ruleId, body }: UpdateNotificationRuleCommand): Promise<StoredNotificationRule> {
    const fields = parseNotificationRuleFields(body, false);
    return nameMustBeFree(fields.name ?? '', () =>
      this.uow.transaction(caller.scope, async (stores) => {
        const current = await stores.notificationRules.get(caller.orgId, ruleId, true);
        if (!current) throw ruleNotFound(ruleId);
        const rule: NotificationRule = {
          ...applyNotificationRuleFields(current, fields),
          id: current.id,
          org_id: current.org_id,
        };
        await checkRuleReferences(stores, caller.orgId, rule, current);
        await stores.notificationRules.update(rule);
        const changed = Object.keys(fields).filter(
          (key) =>
            JSON.stringify(current[key as keyof NotificationRule]) !==
            JSON.stringify(rule[key as keyof NotificationRule]),
        );
        if (changed.length > 0) {
          stores.audit.record(caller.actor, {
            orgId: caller.orgId,
            action: 'notification_rule.updated',
            targetType: 'notification_rule',
            targetId: rule.id,
            metadata: { ...ruleAuditMetadata(rule), changed },
          });
        }
        return (await stores.notificationRules.get(caller.orgId, rule.id))!;
      }),
    );
  }
}
