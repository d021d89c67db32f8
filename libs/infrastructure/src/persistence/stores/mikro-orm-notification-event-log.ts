import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { NewNotificationEvent, NotificationEventLog } from '@repoguard/domain';
import { writeNotificationEvents } from './notification-event-writer';

/** The unit of work's events, written at once on its transaction (so they commit with it). */
export class MikroOrmNotificationEventLog implements NotificationEventLog {
  constructor(private readonly em: EntityManager) {}

  async record(events: readonly NewNotificationEvent[]): Promise<void> {
    if (events.length === 0) return;
    const trx = this.em.getTransactionContext<Knex.Transaction>();
    // Outside a transaction an event could commit without its change: refused.
    if (!trx) throw new Error('notification events are recorded only in the unit of work’s transaction');
    await writeNotificationEvents(trx, events);
  }
}
