import { NotFoundError, type NotificationDeliveryRecord, type UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface GetNotificationDeliveryCommand {
  readonly caller: OrgCaller;
  readonly deliveryId: string;
}

export class GetNotificationDelivery {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, deliveryId }: GetNotificationDeliveryCommand): Promise<NotificationDeliveryRecord> {
    const delivery = await this.uow.read(caller.scope, ({ notificationDeliveries }) =>
      notificationDeliveries.get(caller.orgId, deliveryId),
    );
    if (!delivery)
      throw new NotFoundError(
        'NOTIFICATION_DELIVERY_NOT_FOUND',
        `No notification delivery with id ${deliveryId}`,
      );
    return delivery;
  }
}
