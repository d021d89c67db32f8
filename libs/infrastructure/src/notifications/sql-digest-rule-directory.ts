import type { EntityManager } from '@mikro-orm/postgresql';
import type { DigestRuleDirectory, NotificationRule } from '@repoguard/domain';
import { ruleOf, type RuleColumns } from '../persistence/stores/notification-rows';
import { RULE_COLUMNS } from './sql-notification-digests';

/** Enabled digest rules of every org not deleted, for the schedule reconciler. */
export class SqlDigestRuleDirectory implements DigestRuleDirectory {
  constructor(private readonly em: EntityManager) {}

  async enabledDigestRules(afterId: string | null, limit: number): Promise<NotificationRule[]> {
    const query = this.em
      .fork()
      .getKnex()('notification_rules as r')
      .join('organizations as o', 'o.id', 'r.org_id')
      .whereNull('o.deleted_at')
      .where({ 'r.enabled': true, 'r.mode': 'digest' })
      .whereNotNull('r.digest')
      .orderBy('r.id')
      .limit(limit)
      .select(RULE_COLUMNS);
    if (afterId !== null) query.where('r.id', '>', afterId);
    return ((await query) as RuleColumns[]).map(ruleOf);
  }
}
