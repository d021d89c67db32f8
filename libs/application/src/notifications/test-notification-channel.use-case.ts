import {
  testNotificationMessage,
  type Clock,
  type NotificationSender,
  type SendOutcome,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { channelNotFound } from './notification-channel-errors';

export interface TestNotificationChannelCommand {
  readonly caller: OrgCaller;
  readonly channelId: string;
}

export interface NotificationChannelTested {
  readonly delivered: boolean;
  readonly status_code: number | null;
  readonly error: string | null;
}

/**
 * Sends a sample message (kind `test`) to the channel now and reports what the receiver answered:
 * a refusal is the result, not an error of ours. Audited with the outcome.
 */
export class TestNotificationChannel {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sender: NotificationSender,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly linkOf: (orgId: string) => string | null = () => null,
  ) {}

  async execute({ caller, channelId }: TestNotificationChannelCommand): Promise<NotificationChannelTested> {
    const opened = await this.uow.read(caller.scope, async ({ notificationChannels, organizations }) => {
      const channel = await notificationChannels.get(caller.orgId, channelId);
      if (!channel) return null;
      const secret = await notificationChannels.openSecret(caller.orgId, channelId);
      const org = await organizations.get(caller.orgId);
      return secret && org ? { channel, secret, org } : null;
    });
    if (!opened) throw channelNotFound();
    const { channel, secret, org } = opened;
    const message = testNotificationMessage({
      channel,
      org: { id: org.id, name: org.name },
      testId: this.newId(),
      now: this.clock.now(),
      link: this.linkOf(caller.orgId),
    });
    const outcome: SendOutcome = await this.sender.send(channel, secret, message);
    const result: NotificationChannelTested = outcome.delivered
      ? { delivered: true, status_code: outcome.status_code, error: null }
      : { delivered: false, status_code: outcome.status_code, error: outcome.error };
    await this.uow.transaction(caller.scope, async ({ audit }) => {
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'notification_channel.tested',
        targetType: 'notification_channel',
        targetId: channelId,
        metadata: { name: channel.name, kind: channel.kind, ...result },
      });
    });
    return result;
  }
}
