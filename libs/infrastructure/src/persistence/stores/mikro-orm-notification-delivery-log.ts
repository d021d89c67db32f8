import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type {
  NotificationDeliveryFilter,
  NotificationDeliveryLog,
  NotificationDeliveryRecord,
} from '@repoguard/domain';
import { deliveryRecordOf, type DeliveryRow } from './notification-rows';

// The types of a delivery's events, for the log (the events themselves stay in their table).
const EVENT_TYPES = `(select coalesce(jsonb_agg(distinct e.type), '[]'::jsonb) from notification_events e
  where e.id in (select (jsonb_array_elements_text(d.event_ids))::uuid)) as event_types`;

export class MikroOrmNotificationDeliveryLog implements NotificationDeliveryLog {
  constructor(private readonly em: EntityManager) {}

  private db(): Knex {
    return this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex();
  }

  async list(
    filter: NotificationDeliveryFilter,
  ): Promise<{ items: NotificationDeliveryRecord[]; total: number }> {
    const where = (query: Knex.QueryBuilder) => {
      query.where('d.org_id', filter.orgId);
      if (filter.status) query.andWhere('d.status', filter.status);
      if (filter.channelId) query.andWhere('d.channel_id', filter.channelId);
      if (filter.ruleId) query.andWhereRaw('d.rule_ids @> ?::jsonb', [JSON.stringify([filter.ruleId])]);
      return query;
    };
    const [count] = await where(this.db()('notification_deliveries as d')).count<{ count: string }[]>(
      '* as count',
    );
    const rows: DeliveryRow[] = await where(this.db()('notification_deliveries as d'))
      .orderBy([
        { column: 'd.created_at', order: 'desc' },
        { column: 'd.id', order: 'desc' },
      ])
      .offset(filter.offset)
      .limit(filter.limit)
      .select('d.*', this.db().raw(EVENT_TYPES));
    return { items: rows.map(deliveryRecordOf), total: Number(count?.count ?? 0) };
  }

  async get(orgId: string, deliveryId: string): Promise<NotificationDeliveryRecord | null> {
    const row: DeliveryRow | undefined = await this.db()('notification_deliveries as d')
      .where({ 'd.org_id': orgId, 'd.id': deliveryId })
      .first('d.*', this.db().raw(EVENT_TYPES));
    return row ? deliveryRecordOf(row) : null;
  }
}
