import type { NotificationChannel, NotificationChannelSecret } from './notification-channel';
import type { NotificationMessage } from './notification-message';

/**
 * How one attempt went. `retryable` failures are tried again (after `retry_after_ms` when the
 * receiver said so: 429/503 with Retry-After); others (400, 401, 404, 410, a refused address) are final.
 */
export type SendOutcome =
  | { readonly delivered: true; readonly status_code: number | null }
  | {
      readonly delivered: false;
      readonly retryable: boolean;
      readonly status_code: number | null;
      readonly error: string;
      readonly retry_after_ms?: number;
    };

/** Renders a message in the channel's wire format and sends it once. Never throws for a receiver's answer. */
export interface NotificationSender {
  send(
    channel: NotificationChannel,
    secret: NotificationChannelSecret,
    message: NotificationMessage,
  ): Promise<SendOutcome>;
}
