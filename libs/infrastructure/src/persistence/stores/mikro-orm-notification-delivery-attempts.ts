import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import {
  boundedDeliveryError,
  MAX_DELIVERY_ERROR_CHARS,
  MAX_MESSAGE_EVENTS,
  type DeliveryAttemptOutcome,
  type DeliveryToSend,
  type NotificationDeliveryAttempts,
} from '@repoguard/domain';
import { deliveryOf, eventOf, type DeliveryRow, type EventRow } from './notification-rows';

/** The delivery workflow's reads and writes: each its own statement, outside any unit of work. */
export class MikroOrmNotificationDeliveryAttempts implements NotificationDeliveryAttempts {
  constructor(private readonly em: EntityManager) {}

  private db(): Knex {
    return this.em.getKnex();
  }

  async load(deliveryId: string): Promise<DeliveryToSend | null> {
    const row: DeliveryRow | undefined = await this.db()('notification_deliveries')
      .where({ id: deliveryId })
      .first();
    if (!row) return null;
    const delivery = deliveryOf(row);
    // One array parameter whatever the number of ids (one per id stops at 65,535). Events deleted
    // since (their repository was disconnected) are simply not there.
    const ids = [...delivery.event_ids];
    const [events, counted, org] = await Promise.all([
      ids.length === 0
        ? Promise.resolve([] as EventRow[])
        : (this.db()('notification_events')
            .whereRaw('id = any(?::uuid[])', [ids])
            .orderBy('seq')
            .limit(MAX_MESSAGE_EVENTS) as Promise<EventRow[]>),
      ids.length === 0
        ? Promise.resolve([{ n: 0 }])
        : (this.db()('notification_events').whereRaw('id = any(?::uuid[])', [ids]).count('* as n') as Promise<
            { n: string | number }[]
          >),
      this.db()('organizations').where({ id: delivery.org_id }).first('id', 'name') as Promise<
        { id: string; name: string } | undefined
      >,
    ]);
    // Events past the named ones are counted as they were: none is read, and the named ones
    // tell whether the repository is still there.
    const stillStored = Number(counted[0]?.n ?? 0);
    let digestFrequency: 'daily' | 'weekly' | undefined;
    if (delivery.kind === 'digest' && delivery.rule_ids[0]) {
      const rule = await this.db()('notification_rules').where({ id: delivery.rule_ids[0] }).first('digest');
      digestFrequency = (rule?.digest as { frequency?: 'daily' | 'weekly' } | null)?.frequency;
    }
    return {
      delivery,
      events: events.map((e) => {
        const { seq: _seq, ...event } = eventOf(e);
        return event;
      }),
      eventCount: stillStored === 0 ? 0 : stillStored + Math.max(0, (delivery.event_total ?? 0) - ids.length),
      org: org ?? { id: delivery.org_id, name: delivery.org_id },
      ...(digestFrequency ? { digestFrequency } : {}),
    };
  }

  async begin(deliveryId: string, at: Date): Promise<void> {
    await this.db()('notification_deliveries')
      .where({ id: deliveryId })
      .whereIn('status', ['pending', 'sending'])
      .update({
        status: 'sending',
        attempts: this.db().raw('attempts + 1'),
        next_attempt_at: null,
        updated_at: at,
      });
  }

  async record(deliveryId: string, outcome: DeliveryAttemptOutcome): Promise<void> {
    await this.db()('notification_deliveries')
      .where({ id: deliveryId })
      .whereNotIn('status', ['delivered', 'skipped'])
      .update({
        status: outcome.status,
        last_error: outcome.error === null ? null : boundedDeliveryError(outcome.error),
        last_status_code: outcome.statusCode,
        next_attempt_at: outcome.nextAttemptAt,
        updated_at: outcome.at,
        ...(outcome.status === 'delivered' ? { delivered_at: outcome.at } : {}),
      });
  }

  async giveUp(deliveryId: string, error: string, at: Date): Promise<void> {
    await this.db()('notification_deliveries')
      .where({ id: deliveryId })
      .whereIn('status', ['pending', 'sending'])
      // The receiver's last answer stays in the message: it is what the reader needs.
      .update({
        status: 'failed',
        last_error: this.db().raw(`left(? || coalesce(': ' || last_error, ''), ?)`, [
          boundedDeliveryError(error),
          MAX_DELIVERY_ERROR_CHARS,
        ]),
        next_attempt_at: null,
        updated_at: at,
      });
  }
}
