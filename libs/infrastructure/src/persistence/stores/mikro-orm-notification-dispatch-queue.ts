import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import {
  FINAL_SCAN_STATUSES,
  type DispatchRule,
  type NewNotificationDelivery,
  type NotificationDispatchQueue,
  type QueuedNotificationEvent,
  type RuleMute,
} from '@repoguard/domain';
import { eventOf, ruleOf, type EventRow, type RuleRow } from './notification-rows';

// The dispatcher matches on these; the payload (the bulk of a row) stays in the table.
const DISPATCH_COLUMNS =
  'e.id, e.seq, e.org_id, e.repo_id, e.repo_name, e.type, e.severity, e.group_key, e.scan_id, e.occurred_at';

/** The dispatcher's queries; inside the unit of work's transaction, whose locks they take. */
export class MikroOrmNotificationDispatchQueue implements NotificationDispatchQueue {
  constructor(private readonly em: EntityManager) {}

  private db(): Knex {
    return this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex();
  }

  /**
   * Whole groups or nothing: a group is taken under a transaction-scoped advisory lock on
   * (org, group key), and only when every one of its undispatched events could be locked, so two
   * dispatchers never split one group into two deliveries. A group another dispatcher holds is
   * skipped this round. However many events a group has, it comes whole (one delivery); the limit
   * only stops adding further groups.
   */
  async takeReadyEvents({
    limit,
    groupWaitMs,
  }: {
    limit: number;
    groupWaitMs: number;
  }): Promise<QueuedNotificationEvent[]> {
    const db = this.db();
    // A scan's events wait for its end (its status change comes last) so they go out together; an
    // event whose scan row is missing, or that waited longer than groupWaitMs, goes as it is.
    const candidates = await db.raw<{ rows: { org_id: string; group_key: string }[] }>(
      `select org_id, group_key from (
         select e.org_id, e.group_key, e.seq from notification_events e
          where e.dispatched_at is null
            and (e.scan_id is null
                 or e.occurred_at < now() - (? * interval '1 millisecond')
                 or not exists (select 1 from scans s where s.id = e.scan_id and s.status not in (${FINAL_SCAN_STATUSES.map(() => '?').join(', ')})))
          order by e.seq
          limit ?) ready
        group by org_id, group_key
        order by min(seq)`,
      [groupWaitMs, ...FINAL_SCAN_STATUSES, limit],
    );
    const taken: EventRow[] = [];
    for (const { org_id, group_key } of candidates.rows) {
      if (taken.length >= limit) break;
      const held = await db.raw<{ rows: { locked: boolean }[] }>(
        `select pg_try_advisory_xact_lock(hashtext(?), hashtext(?)) as locked`,
        [org_id, group_key],
      );
      if (!held.rows[0]?.locked) continue;
      const group = await db.raw<{ rows: EventRow[] }>(
        `select ${DISPATCH_COLUMNS}, null as payload from notification_events e
          where e.org_id = ? and e.group_key = ? and e.dispatched_at is null
          order by e.seq
          for update of e skip locked`,
        [org_id, group_key],
      );
      if (group.rows.length === 0) continue;
      // A row locked elsewhere (a dispatcher of an older release, a writer): not whole, not now.
      const all = await db.raw<{ rows: { n: string }[] }>(
        `select count(*) as n from notification_events
          where org_id = ? and group_key = ? and dispatched_at is null`,
        [org_id, group_key],
      );
      if (Number(all.rows[0]?.n ?? 0) !== group.rows.length) continue;
      taken.push(...group.rows);
    }
    return taken.map(eventOf).sort((a, b) => a.seq - b.seq);
  }

  async immediateRules(orgIds: readonly string[]): Promise<DispatchRule[]> {
    if (orgIds.length === 0) return [];
    const rows: (RuleRow & { channel_kind: DispatchRule['channel']['kind']; channel_name: string })[] =
      await this.db()('notification_rules as r')
        .join('notification_channels as c', 'c.id', 'r.channel_id')
        .whereIn('r.org_id', [...orgIds])
        .andWhere({ 'r.enabled': true, 'r.mode': 'immediate' })
        .orderBy('r.id')
        .select('r.*', 'c.kind as channel_kind', 'c.name as channel_name');
    return rows.map((row) => ({
      ...ruleOf(row),
      channel: { kind: row.channel_kind, name: row.channel_name },
    }));
  }

  async activeMutes(ruleIds: readonly string[], now: Date): Promise<RuleMute[]> {
    if (ruleIds.length === 0) return [];
    const rows: { rule_id: string; repo_id: string; until: Date | string }[] = await this.db()(
      'notification_rule_mutes',
    )
      .whereIn('rule_id', [...ruleIds])
      .andWhere('until', '>', now)
      .select('rule_id', 'repo_id', 'until');
    return rows.map((r) => ({ rule_id: r.rule_id, repo_id: r.repo_id, until: new Date(r.until) }));
  }

  async addDelivery(delivery: NewNotificationDelivery): Promise<boolean> {
    const inserted = await this.db()('notification_deliveries')
      .insert({
        ...delivery,
        rule_ids: JSON.stringify(delivery.rule_ids),
        event_ids: JSON.stringify(delivery.event_ids),
      })
      .onConflict(['channel_id', 'group_key'])
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  async markDispatched(eventIds: readonly string[], at: Date): Promise<void> {
    if (eventIds.length === 0) return;
    // One array parameter: a group of any size stays far below the protocol's 65,535 bind parameters.
    await this.db()('notification_events')
      .whereRaw('id = any(?::uuid[])', [[...eventIds]])
      .update({ dispatched_at: at });
  }

  async unstartedDeliveries(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.db()('notification_deliveries')
      .whereNull('workflow_started_at')
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .limit(limit)
      .select('id');
    return rows.map((r) => r.id);
  }

  async markStarted(deliveryIds: readonly string[], at: Date): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.db()('notification_deliveries')
      .whereIn('id', [...deliveryIds])
      .whereNull('workflow_started_at')
      .update({ workflow_started_at: at });
  }
}
