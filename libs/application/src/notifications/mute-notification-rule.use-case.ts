import {
  NotFoundError,
  parseMuteUntil,
  type Clock,
  type StoredNotificationRule,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { ruleNotFound } from './notification-rule-checks';

export interface MuteNotificationRuleCommand {
  readonly caller: OrgCaller;
  readonly ruleId: string;
  readonly repoId: string;
  /** The body's `until`: an ISO 8601 time in the future, at most a year ahead. */
  readonly until: unknown;
}

/** Nothing of the repository goes out through the rule until `until`; setting it again moves the end. */
export class MuteNotificationRule {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute({
    caller,
    ruleId,
    repoId,
    until,
  }: MuteNotificationRuleCommand): Promise<StoredNotificationRule> {
    const end = parseMuteUntil(until, this.clock.now());
    return this.uow.transaction(caller.scope, async ({ notificationRules, audit }) => {
      const rule = await notificationRules.get(caller.orgId, ruleId, true);
      if (!rule) throw ruleNotFound(ruleId);
      const [repo] = await notificationRules.existingRepoIds(caller.orgId, [repoId]);
      if (!repo) throw new NotFoundError('REPO_NOT_FOUND', `No repository with id ${repoId}`);
      await notificationRules.mute(rule.id, repo, end, caller.actor.actorId);
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'notification_rule.muted',
        targetType: 'notification_rule',
        targetId: rule.id,
        metadata: { name: rule.name, repo_id: repo, until: end.toISOString() },
      });
      return (await notificationRules.get(caller.orgId, rule.id))!;
    });
  }
}
