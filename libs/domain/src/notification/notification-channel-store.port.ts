import type {
  NotificationChannel,
  NotificationChannelSecret,
  NotificationChannelSummary,
} from './notification-channel';

/** A stored channel as the API lists it. */
export interface StoredNotificationChannel extends NotificationChannel {
  readonly created_by: string | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/**
 * An org's channels (`notification_channels`) with their secret part sealed beside them
 * (`stored_secrets`, kind `notification_channel`, owner the channel's id), in the unit of work's
 * transaction. Every method takes the org: a channel of another org is not found.
 */
export interface NotificationChannelStore {
  /** Throws UniqueViolationError when the org has a channel of that name. */
  create(
    channel: NotificationChannel & { readonly created_by: string | null },
    secret: NotificationChannelSecret,
  ): Promise<StoredNotificationChannel>;
  list(orgId: string): Promise<StoredNotificationChannel[]>;
  get(orgId: string, channelId: string): Promise<StoredNotificationChannel | null>;
  /** The unsealed secret; null when the channel is not the org's. Throws when no key opens it. */
  openSecret(orgId: string, channelId: string): Promise<NotificationChannelSecret | null>;
  /** Only what is given changes; a new secret replaces the sealed one. Null when not found. */
  update(
    orgId: string,
    channelId: string,
    change: {
      readonly name?: string;
      readonly summary?: NotificationChannelSummary;
      readonly secret?: NotificationChannelSecret;
    },
  ): Promise<StoredNotificationChannel | null>;
  /** The channel and its secret; `in_use` when a rule still sends to it (nothing is deleted). */
  delete(orgId: string, channelId: string): Promise<'deleted' | 'not_found' | 'in_use'>;
}
