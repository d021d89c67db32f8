import type { StoredNotificationChannel, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { channelNotFound } from './notification-channel-errors';

export interface GetNotificationChannelCommand {
  readonly caller: OrgCaller;
  readonly channelId: string;
}

/** One channel of the org (another org's is not found), its public part only. */
export class GetNotificationChannel {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, channelId }: GetNotificationChannelCommand): Promise<StoredNotificationChannel> {
    const channel = await this.uow.read(caller.scope, ({ notificationChannels }) =>
      notificationChannels.get(caller.orgId, channelId),
    );
    if (!channel) throw channelNotFound();
    return channel;
  }
}
