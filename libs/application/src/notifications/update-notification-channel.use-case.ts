import {
  parseChannelChange,
  UniqueViolationError,
  type NotificationChannelInput,
  type StoredNotificationChannel,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import type { NotificationChannelPorts } from './create-notification-channel.use-case';
import { channelNameTaken, channelNotFound, checkChannelHosts } from './notification-channel-errors';

export interface UpdateNotificationChannelCommand {
  readonly caller: OrgCaller;
  readonly channelId: string;
  readonly input: NotificationChannelInput;
}

/**
 * Renames a channel or changes its target (URL, recipients, sender, SMTP server); its kind never
 * changes and a webhook keeps its signing secret. New hosts are judged before anything is written.
 * Audited with the names of the changed fields and the new public summary.
 */
export class UpdateNotificationChannel {
  constructor(private readonly ports: NotificationChannelPorts) {}

  async execute({
    caller,
    channelId,
    input,
  }: UpdateNotificationChannelCommand): Promise<StoredNotificationChannel> {
    const { uow, rules, outbound } = this.ports;
    const changesTarget = ['url', 'to', 'from', 'smtp'].some(
      (field) => input[field as keyof NotificationChannelInput] !== undefined,
    );
    // Read first, judged outside the transaction: a DNS answer may take seconds.
    const current = await uow.read(caller.scope, async ({ notificationChannels }) => {
      const channel = await notificationChannels.get(caller.orgId, channelId);
      if (!channel) return null;
      // Only a change of target needs the secret: renaming works even when no key opens it.
      const secret = changesTarget ? await notificationChannels.openSecret(caller.orgId, channelId) : null;
      return { channel, secret };
    });
    if (!current) throw channelNotFound();
    const { channel } = current;
    const change = parseChannelChange(
      {
        kind: channel.kind,
        summary: channel.summary,
        // Without a target change the parser never reads the secret.
        secret: current.secret ?? { kind: 'slack', url: '' },
      },
      input,
      rules,
    );
    if (change.target) await checkChannelHosts(outbound, change.target.hosts);
    const changed = Object.keys(input).filter(
      (key) => input[key as keyof NotificationChannelInput] !== undefined,
    );
    try {
      return await uow.transaction(caller.scope, async ({ notificationChannels, audit }) => {
        const updated = await notificationChannels.update(caller.orgId, channelId, {
          ...(change.name !== undefined ? { name: change.name } : {}),
          ...(change.target ? { summary: change.target.summary, secret: change.target.secret } : {}),
        });
        if (!updated) throw channelNotFound();
        audit.record(caller.actor, {
          orgId: caller.orgId,
          action: 'notification_channel.updated',
          targetType: 'notification_channel',
          targetId: channelId,
          metadata: { name: updated.name, kind: updated.kind, changed, summary: updated.summary },
        });
        return updated;
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) throw channelNameTaken(change.name ?? channel.name);
      throw error;
    }
  }
}
