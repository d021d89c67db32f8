import type { NotificationChannel, NotificationChannelSecret } from './notification-channel';

/** A channel with its unsealed secret, for the one moment a message is sent to it. */
export interface NotificationChannelDirectory {
  /** Null when the channel is gone (deleted after the delivery was made). */
  open(
    channelId: string,
  ): Promise<{ channel: NotificationChannel; secret: NotificationChannelSecret } | null>;
}
