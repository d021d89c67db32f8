import {
  ConflictError,
  DomainError,
  NotFoundError,
  UniqueViolationError,
  type NotificationRule,
  type Stores,
} from '@repoguard/domain';

/**
 * The rule's channel and listed repositories must be the org's: another org's are not found (404,
 * naming the field). Of the repositories only those not already listed `before` are checked: one
 * that was disconnected since must not keep the rule from being edited or switched off.
 */
export async function checkRuleReferences(
  { notificationRules }: Pick<Stores, 'notificationRules'>,
  orgId: string,
  rule: Pick<NotificationRule, 'channel_id' | 'repositories'>,
  before?: Pick<NotificationRule, 'repositories'>,
): Promise<void> {
  const channel = await notificationRules.channelOf(orgId, rule.channel_id);
  if (!channel) {
    throw new DomainError(
      'not_found',
      'NOTIFICATION_CHANNEL_NOT_FOUND',
      `No notification channel with id ${rule.channel_id}`,
      [{ field: 'channel_id', problem: "is not one of the org's notification channels" }],
    );
  }
  if (rule.repositories.kind !== 'list') return;
  const ids = rule.repositories.repo_ids;
  const listed = new Set(before?.repositories.kind === 'list' ? before.repositories.repo_ids : []);
  const added = ids.filter((id) => !listed.has(id));
  const found = new Set(added.length > 0 ? await notificationRules.existingRepoIds(orgId, added) : []);
  const missing = ids.findIndex((id) => !listed.has(id) && !found.has(id));
  if (missing >= 0) {
    throw new DomainError('not_found', 'REPO_NOT_FOUND', `No repository with id ${ids[missing]}`, [
      { field: `repositories.repo_ids[${missing}]`, problem: "is not one of the org's repositories" },
    ]);
  }
}

export function ruleNotFound(ruleId: string): NotFoundError {
  return new NotFoundError('NOTIFICATION_RULE_NOT_FOUND', `No notification rule with id ${ruleId}`);
}

/** A second rule of the same name in one org (two requests may race to it) is a 409. */
export async function nameMustBeFree<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueViolationError) {
      throw new ConflictError(
        'NOTIFICATION_RULE_NAME_TAKEN',
        `The org already has a notification rule named "${name}"`,
        [{ field: 'name', problem: 'is already taken in this org' }],
      );
    }
    throw error;
  }
}

/** What an audit row keeps of a rule: enough to tell what changed, nothing secret (rules hold none). */
export const ruleAuditMetadata = (rule: NotificationRule) => ({
  name: rule.name,
  channel_id: rule.channel_id,
  events: rule.events,
  min_severity: rule.min_severity,
  repositories: rule.repositories.kind,
  mode: rule.mode,
  enabled: rule.enabled,
});
