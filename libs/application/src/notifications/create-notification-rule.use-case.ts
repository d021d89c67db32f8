import {
  applyNotificationRuleFields,
  parseNotificationRuleFields,
  type NotificationRule,
  type StoredNotificationRule,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { checkRuleReferences, nameMustBeFree, ruleAuditMetadata } from './notification-rule-checks';

export interface CreateNotificationRuleCommand {
  readonly caller: OrgCaller;
  /** The request body as it came: every bad field is named in one 400. */
  readonly body: unknown;
}

/**
 * A rule of the org's, on one of its channels; audited with it. A digest rule's Temporal Schedule
 * is the schedule reconciler's to create (ReconcileNotificationSchedules, in every API process).
 */
export class CreateNotificationRule {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly newId: () => string,
  ) {}

  async execute({ caller, body }: CreateNotificationRuleCommand): Promise<StoredNotificationRule> {
    const fields = applyNotificationRuleFields(null, parseNotificationRuleFields(body, true));
    const rule: NotificationRule = { ...fields, id: this.newId(), org_id: caller.orgId };
    return nameMustBeFree(rule.name, () =>
      this.uow.transaction(caller.scope, async (stores) => {
        await checkRuleReferences(stores, caller.orgId, rule);
        await stores.notificationRules.add(rule, caller.actor.actorId);
        stores.audit.record(caller.actor, {
          orgId: caller.orgId,
          action: 'notification_rule.created',
          targetType: 'notification_rule',
          targetId: rule.id,
          metadata: ruleAuditMetadata(rule),
        });
        return (await stores.notificationRules.get(caller.orgId, rule.id))!;
      }),
    );
  }
}
