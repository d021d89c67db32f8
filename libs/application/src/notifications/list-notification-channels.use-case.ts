import type { StoredNotificationChannel, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListNotificationChannelsCommand {
  readonly caller: OrgCaller;
}

/** The org's channels by name, their public part only. */
export class ListNotificationChannels {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller }: ListNotificationChannelsCommand): Promise<StoredNotificationChannel[]> {
    return this.uow.read(caller.scope, ({ notificationChannels }) => notificationChannels.list(caller.orgId));
  }
}
