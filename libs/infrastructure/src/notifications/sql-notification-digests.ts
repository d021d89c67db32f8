import { randomUUID } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { ruleOf, type RuleColumns as RuleRow } from '../persistence/stores/notification-rows';
import type {
  DigestRuleState,
  EventCursor,
  NotificationDigests,
  NotificationEvent,
  RuleMute,
} from '@repoguard/domain';

export const RULE_COLUMNS = [
  'r.id',
  'r.org_id',
  'r.name',
  'r.channel_id',
  'r.events',
  'r.min_severity',
  'r.repositories',
  'r.mode',
  'r.digest',
  'r.enabled',
];

interface EventRow {
  readonly id: string;
  readonly seq: string;
  readonly org_id: string;
  readonly repo_id: string | null;
  readonly repo_name: string | null;
  readonly type: NotificationEvent['type'];
  readonly severity: NotificationEvent['severity'];
  readonly group_key: string;
  readonly scan_id: string | null;
  readonly payload: NotificationEvent['payload'];
  readonly occurred_at: Date | string;
}

/**
 * A digest run's reads and writes over the notification tables (system scope: the rule names the
 * org, and every query keeps to it). Each call is its own statement on a fresh fork, as activities are.
 */
export class SqlNotificationDigests implements NotificationDigests {
  constructor(private readonly em: EntityManager) {}

  private db(): Knex {
    return this.em.fork().getKnex();
  }

  async ruleState(ruleId: string): Promise<DigestRuleState | null> {
    const row = (await this.db()('notification_rules as r')
      .join('notification_channels as c', 'c.id', 'r.channel_id')
      .where('r.id', ruleId)
      .first([
        ...RULE_COLUMNS,
        'r.digest_watermark',
        'r.created_at',
        'c.kind as channel_kind',
        'c.name as channel_name',
      ])) as
      | (RuleRow & {
          digest_watermark: Date | string | null;
          created_at: Date | string;
          channel_kind: DigestRuleState['channel']['kind'];
          channel_name: string;
        })
      | undefined;
    if (!row) return null;
    return {
      rule: ruleOf(row),
      watermark: row.digest_watermark === null ? null : new Date(row.digest_watermark),
      created_at: new Date(row.created_at),
      channel: { id: row.channel_id, kind: row.channel_kind, name: row.channel_name },
    };
  }

  async mutes(ruleId: string): Promise<RuleMute[]> {
    const rows = (await this.db()('notification_rule_mutes')
      .where({ rule_id: ruleId })
      .select('rule_id', 'repo_id', 'until')) as { rule_id: string; repo_id: string; until: Date | string }[];
    return rows.map((row) => ({ rule_id: row.rule_id, repo_id: row.repo_id, until: new Date(row.until) }));
  }

  async events(
    orgId: string,
    period: { from: Date; to: Date },
    cursor: EventCursor | null,
    limit: number,
  ): Promise<{ event: NotificationEvent; cursor: EventCursor }[]> {
    const query = this.db()('notification_events')
      .where('org_id', orgId)
      .where('occurred_at', '>', period.from)
      .where('occurred_at', '<=', period.to)
      .orderBy([{ column: 'occurred_at' }, { column: 'seq' }])
      .limit(limit)
      .select(
        'id',
        'seq',
        'org_id',
        'repo_id',
        'repo_name',
        'type',
        'severity',
        'group_key',
        'scan_id',
        'payload',
        'occurred_at',
      );
    if (cursor) {
      query.whereRaw('(occurred_at, seq) > (?::timestamptz, ?::bigint)', [cursor.occurred_at, cursor.seq]);
    }
    const rows = (await query) as EventRow[];
    return rows.map((row) => {
      const occurredAt = new Date(row.occurred_at);
      return {
        event: {
          id: row.id,
          org_id: row.org_id,
          repo_id: row.repo_id,
          repo_name: row.repo_name,
          type: row.type,
          severity: row.severity,
          group_key: row.group_key,
          scan_id: row.scan_id,
          occurred_at: occurredAt,
          payload: row.payload,
        } as NotificationEvent,
        cursor: { occurred_at: occurredAt, seq: String(row.seq) },
      };
    });
  }

  async recordDelivery(delivery: {
    org_id: string;
    rule_id: string;
    channel: DigestRuleState['channel'];
    group_key: string;
    event_ids: readonly string[];
    event_total?: number;
  }): Promise<{ id: string; created: boolean }> {
    const db = this.db();
    const inserted = (await db('notification_deliveries')
      .insert({
        id: randomUUID(),
        org_id: delivery.org_id,
        channel_id: delivery.channel.id,
        channel_kind: delivery.channel.kind,
        channel_name: delivery.channel.name,
        rule_ids: JSON.stringify([delivery.rule_id]),
        kind: 'digest',
        group_key: delivery.group_key,
        event_ids: JSON.stringify(delivery.event_ids),
        event_total: delivery.event_total ?? null,
        // The digest run starts its delivery workflow itself (a child): no dispatcher must.
        workflow_started_at: db.fn.now(),
      })
      .onConflict(['channel_id', 'group_key'])
      .ignore()
      .returning('id')) as { id: string }[];
    if (inserted[0]) return { id: inserted[0].id, created: true };
    const existing = (await db('notification_deliveries')
      .where({ channel_id: delivery.channel.id, group_key: delivery.group_key })
      .first('id')) as { id: string } | undefined;
    if (!existing) throw new Error(`digest delivery ${delivery.group_key} neither inserted nor found`);
    return { id: existing.id, created: false };
  }

  async deliveryStatus(deliveryId: string): Promise<string | null> {
    const row = (await this.db()('notification_deliveries').where({ id: deliveryId }).first('status')) as
      { status: string } | undefined;
    return row?.status ?? null;
  }

  async deliveryRefused(deliveryId: string): Promise<boolean> {
    // The delivery workflow's give-up (retries spent) writes this prefix; a refusal is recorded
    // by the attempt itself with the receiver's answer.
    const row = (await this.db()('notification_deliveries')
      .where({ id: deliveryId, status: 'failed' })
      .whereRaw(`coalesce(last_error, '') not like 'Gave up after retries%'`)
      .first('id')) as { id: string } | undefined;
    return row !== undefined;
  }

  async advanceWatermark(ruleId: string, to: Date): Promise<void> {
    await this.db()('notification_rules')
      .where({ id: ruleId })
      .whereRaw('("digest_watermark" is null or "digest_watermark" < ?)', [to])
      .update({ digest_watermark: to });
  }
}
