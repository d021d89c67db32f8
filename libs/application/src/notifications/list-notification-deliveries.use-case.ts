import type { NotificationDeliveryRecord, NotificationDeliveryStatus, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListNotificationDeliveriesCommand {
  readonly caller: OrgCaller;
  readonly status?: NotificationDeliveryStatus;
  readonly channelId?: string;
  readonly ruleId?: string;
  readonly offset: number;
  readonly limit: number;
}

/** The org's delivery log, newest first. */
export class ListNotificationDeliveries {
  constructor(private readonly uow: UnitOfWork) {}

  execute({
    caller,
    ...filter
  }: ListNotificationDeliveriesCommand): Promise<{ items: NotificationDeliveryRecord[]; total: number }> {
    return this.uow.read(caller.scope, ({ notificationDeliveries }) =>
      notificationDeliveries.list({ orgId: caller.orgId, ...filter }),
    );
  }
}
