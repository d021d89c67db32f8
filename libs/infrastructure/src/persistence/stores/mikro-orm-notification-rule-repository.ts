import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import {
  UniqueViolationError,
  type NotificationChannelKind,
  type NotificationRule,
  type NotificationRuleMuteRecord,
  type NotificationRuleRepository,
  type StoredNotificationRule,
} from '@repoguard/domain';
import { ruleOf, type RuleRow } from './notification-rows';

interface MuteRow {
  readonly rule_id: string;
  readonly repo_id: string;
  readonly until: Date | string;
  readonly created_by: string | null;
  readonly created_at: Date | string;
}

const json = (value: unknown) => JSON.stringify(value);

/** Every query names the org: another org's rule, channel or repository is simply not there. */
export class MikroOrmNotificationRuleRepository implements NotificationRuleRepository {
  constructor(private readonly em: EntityManager) {}

  private db(): Knex {
    return this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex();
  }

  async list(orgId: string): Promise<StoredNotificationRule[]> {
    const rows: RuleRow[] = await this.db()('notification_rules')
      .where({ org_id: orgId })
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return this.withMutes(rows);
  }

  async get(orgId: string, ruleId: string, forUpdate = false): Promise<StoredNotificationRule | null> {
    const query = this.db()('notification_rules').where({ org_id: orgId, id: ruleId }).first();
    const row: RuleRow | undefined = await (forUpdate ? query.forUpdate() : query);
    return row ? (await this.withMutes([row]))[0]! : null;
  }

  async add(rule: NotificationRule, createdBy: string | null): Promise<void> {
    try {
      await this.db()('notification_rules').insert({
        ...this.columns(rule),
        id: rule.id,
        org_id: rule.org_id,
        created_by: createdBy,
      });
    } catch (error) {
      // Raw queries bypass MikroORM's exception mapping: the name is unique per org.
      if ((error as { code?: string }).code === '23505')
        throw new UniqueViolationError((error as Error).message);
      throw error;
    }
  }

  async update(rule: NotificationRule): Promise<void> {
    await this.db()('notification_rules')
      .where({ org_id: rule.org_id, id: rule.id })
      .update({ ...this.columns(rule), updated_at: this.db().fn.now() });
  }

  async remove(orgId: string, ruleId: string): Promise<boolean> {
    return (await this.db()('notification_rules').where({ org_id: orgId, id: ruleId }).delete()) > 0;
  }

  async mute(ruleId: string, repoId: string, until: Date, createdBy: string | null): Promise<void> {
    await this.db()('notification_rule_mutes')
      .insert({ rule_id: ruleId, repo_id: repoId, until, created_by: createdBy })
      .onConflict(['rule_id', 'repo_id'])
      .merge({ until, created_by: createdBy, created_at: this.db().fn.now() });
  }

  async unmute(ruleId: string, repoId: string): Promise<boolean> {
    return (
      (await this.db()('notification_rule_mutes').where({ rule_id: ruleId, repo_id: repoId }).delete()) > 0
    );
  }

  async channelOf(
    orgId: string,
    channelId: string,
  ): Promise<{ id: string; name: string; kind: NotificationChannelKind } | null> {
    const row = await this.db()('notification_channels')
      .where({ org_id: orgId, id: channelId })
      .first('id', 'name', 'kind');
    return row ?? null;
  }

  async existingRepoIds(orgId: string, repoIds: readonly string[]): Promise<string[]> {
    if (repoIds.length === 0) return [];
    const rows: { id: string }[] = await this.db()('repositories')
      .where({ org_id: orgId })
      .whereIn('id', [...repoIds])
      .select('id');
    return rows.map((r) => r.id);
  }

  private columns(rule: NotificationRule) {
    return {
      name: rule.name,
      channel_id: rule.channel_id,
      events: json(rule.events),
      min_severity: rule.min_severity,
      repositories: json(rule.repositories),
      mode: rule.mode,
      digest: rule.digest === null ? null : json(rule.digest),
      enabled: rule.enabled,
    };
  }

  private async withMutes(rows: readonly RuleRow[]): Promise<StoredNotificationRule[]> {
    if (rows.length === 0) return [];
    const mutes: MuteRow[] = await this.db()('notification_rule_mutes')
      .whereIn(
        'rule_id',
        rows.map((r) => r.id),
      )
      .orderBy([{ column: 'until' }, { column: 'repo_id' }]);
    const byRule = new Map<string, NotificationRuleMuteRecord[]>();
    for (const m of mutes) {
      const list = byRule.get(m.rule_id) ?? [];
      list.push({
        repo_id: m.repo_id,
        until: new Date(m.until),
        created_by: m.created_by,
        created_at: new Date(m.created_at),
      });
      byRule.set(m.rule_id, list);
    }
    return rows.map((row) => ({
      ...ruleOf(row),
      mutes: byRule.get(row.id) ?? [],
      created_by: row.created_by,
      created_at: new Date(row.created_at),
      updated_at: new Date(row.updated_at),
    }));
  }
}
