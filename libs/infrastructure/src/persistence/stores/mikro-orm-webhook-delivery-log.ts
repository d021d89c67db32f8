import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeliveryOutcome, WebhookDeliveryLog } from '@repoguard/domain';
import { WebhookDeliveryEntity } from '../entities';

export class MikroOrmWebhookDeliveryLog implements WebhookDeliveryLog {
  constructor(private readonly em: EntityManager) {}

  async claim(deliveryId: string, event: string): Promise<boolean> {
    const insert = this.em
      .createQueryBuilder(WebhookDeliveryEntity)
      .insert({ deliveryId, event, handled: false, outcome: 'received', statusCode: 202, scans: [] })
      .onConflict('deliveryId')
      .ignore();
    return (await insert.execute('run')).affectedRows > 0;
  }

  async settle(deliveryId: string, outcome: DeliveryOutcome): Promise<void> {
    await this.em
      .createQueryBuilder(WebhookDeliveryEntity)
      .update({ ...outcome, scans: [...outcome.scans] })
      .where({ deliveryId })
      .execute();
  }
}
