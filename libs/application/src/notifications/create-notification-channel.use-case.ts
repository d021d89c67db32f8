import {
  parseNewChannel,
  UniqueViolationError,
  type ChannelInputRules,
  type NotificationChannelInput,
  type NotificationChannelSecret,
  type OutboundAddressPolicy,
  type StoredNotificationChannel,
  type UnitOfWork,
} from '@repoguard/domain';
import { callerName, type OrgCaller } from '../shared/caller';
import { channelNameTaken, checkChannelHosts } from './notification-channel-errors';

export interface CreateNotificationChannelCommand {
  readonly caller: OrgCaller;
  readonly input: NotificationChannelInput;
}

export interface NotificationChannelCreated {
  readonly channel: StoredNotificationChannel;
  /** A generic webhook's Standard Webhooks signing secret: answered this once, then only sealed. */
  readonly signingSecret: string | null;
}

export interface NotificationChannelPorts {
  readonly uow: UnitOfWork;
  readonly outbound: OutboundAddressPolicy;
  readonly rules: ChannelInputRules;
}

/**
 * A new channel: checked (kind, name, URL or recipients, SMTP server), its hosts judged like a
 * repository URL's, its URL and credentials sealed; a generic webhook gets a signing secret of
 * ours. Audited with what the API shows of it, never the secret part.
 */
export class CreateNotificationChannel {
  constructor(
    private readonly ports: NotificationChannelPorts,
    private readonly newSigningSecret: () => string,
    private readonly newId: () => string,
  ) {}

  async execute({ caller, input }: CreateNotificationChannelCommand): Promise<NotificationChannelCreated> {
    const { name, kind, target } = parseNewChannel(input, this.ports.rules);
    await checkChannelHosts(this.ports.outbound, target.hosts);
    const secret: NotificationChannelSecret =
      target.secret.kind === 'webhook'
        ? { ...target.secret, secret: this.newSigningSecret() }
        : target.secret;
    try {
      return await this.ports.uow.transaction(caller.scope, async ({ notificationChannels, audit }) => {
        const channel = await notificationChannels.create(
          {
            id: this.newId(),
            org_id: caller.orgId,
            name,
            kind,
            summary: target.summary,
            created_by: callerName(caller),
          },
          secret,
        );
        audit.record(caller.actor, {
          orgId: caller.orgId,
          action: 'notification_channel.created',
          targetType: 'notification_channel',
          targetId: channel.id,
          metadata: { name, kind, summary: target.summary },
        });
        return { channel, signingSecret: secret.kind === 'webhook' ? secret.secret : null };
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) throw channelNameTaken(name);
      throw error;
    }
  }
}
