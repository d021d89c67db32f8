import { ConflictError, type UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { channelNotFound } from './notification-channel-errors';

export interface RotateNotificationChannelSecretCommand {
  readonly caller: OrgCaller;
  readonly channelId: string;
}

/**
 * A new Standard Webhooks signing secret for a generic webhook channel, answered this once; the
 * old one stops signing at once. The URL is kept (it is opened to be sealed again with the secret).
 */
export class RotateNotificationChannelSecret {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly newSigningSecret: () => string,
  ) {}

  execute({ caller, channelId }: RotateNotificationChannelSecretCommand): Promise<{ signingSecret: string }> {
    return this.uow.transaction(caller.scope, async ({ notificationChannels, audit }) => {
      const channel = await notificationChannels.get(caller.orgId, channelId);
      if (!channel) throw channelNotFound();
      const secret = await notificationChannels.openSecret(caller.orgId, channelId);
      if (!secret) throw channelNotFound();
      if (secret.kind !== 'webhook') {
        throw new ConflictError(
          'CHANNEL_HAS_NO_SIGNING_SECRET',
          `A ${channel.kind} channel has no signing secret: only generic webhooks are signed`,
        );
      }
      const signingSecret = this.newSigningSecret();
      await notificationChannels.update(caller.orgId, channelId, {
        secret: { ...secret, secret: signingSecret },
      });
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'notification_channel.updated',
        targetType: 'notification_channel',
        targetId: channelId,
        metadata: { name: channel.name, kind: channel.kind, changed: ['signing_secret'] },
      });
      return { signingSecret };
    });
  }
}
