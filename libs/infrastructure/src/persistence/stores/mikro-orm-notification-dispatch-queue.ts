import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type {
  DispatchRule,
  NewNotificationDelivery,
  NotificationDispatchQueue,
  QueuedNotificationEvent,
  RuleMute,
} from '@repoguard/domain';
import { eventOf, ruleOf, type EventRow, type RuleRow } from './notification-rows';

// A scan's group may hold thousands of events (a first scan of a big monorepo): one delivery
// carries them all, but one round takes at most this many.
const MAX_EVENTS_PER_ROUND = 5_000;
const FINAL_SCAN_STATUSES = ['COMPLETED', 'FAILED', 'SUPERSEDED'];

/** The dispatcher's queries; inside the unit of work's transaction, whose locks they take. */
export class MikroOrmNotificationDispatchQueue implements NotificationDispatchQueue {
  constructor(private readonly em: EntityManager) {}

  private db(): Knex {
    return this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex();
  }

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
    const first = await db.raw<{ rows: EventRow[] }>(
      `select e.* from notification_events e
        where e.dispatched_at is null
          and (e.scan_id is null
               or e.occurred_at < now() - (? * interval '1 millisecond')
               or not exists (select 1 from scans s where s.id = e.scan_id and s.status not in (${FINAL_SCAN_STATUSES.map(() => '?').join(', ')})))
        order by e.seq
        limit ?
        for update of e skip locked`,
      [groupWaitMs, ...FINAL_SCAN_STATUSES, limit],
    );
    if (first.rows.length === 0) return [];
    const taken = new Set(first.rows.map((r) => r.id));
    const groups = [...new Set(first.rows.map((r) => r.group_key))];
    // The rest of those groups (beyond the batch's limit), so a group is one delivery.
    const rest = await db.raw<{ rows: EventRow[] }>(
      `select e.* from notification_events e
        where e.dispatched_at is null and e.group_key = any(?) and not (e.id = any(?))
        order by e.seq
        limit ?
        for update of e skip locked`,
      [groups, [...taken], Math.max(0, MAX_EVENTS_PER_ROUND - first.rows.length)],
    );
    return [...first.rows, ...rest.rows].map(eventOf).sort((a, b) => a.seq - b.seq);
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
    await this.db()('notification_events')
      .whereIn('id', [...eventIds])
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
