import { ConflictError, type UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { channelNotFound } from './notification-channel-errors';

export interface DeleteNotificationChannelCommand {
  readonly caller: OrgCaller;
  readonly channelId: string;
}

/**
 * Deletes a channel and its sealed secret. A channel a rule still sends to stays (409
 * CHANNEL_IN_USE): the rule would otherwise send nowhere without anyone noticing.
 */
export class DeleteNotificationChannel {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, channelId }: DeleteNotificationChannelCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ notificationChannels, audit }) => {
      const channel = await notificationChannels.get(caller.orgId, channelId);
      if (!channel) throw channelNotFound();
      const result = await notificationChannels.delete(caller.orgId, channelId);
      if (result === 'not_found') throw channelNotFound();
      if (result === 'in_use') {
        throw new ConflictError(
          'CHANNEL_IN_USE',
          'A notification rule still sends to this channel: delete the rule or point it at another channel first',
        );
      }
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'notification_channel.deleted',
        targetType: 'notification_channel',
        targetId: channelId,
        metadata: { name: channel.name, kind: channel.kind },
      });
    });
  }
}
