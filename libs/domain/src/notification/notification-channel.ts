/** Where a message goes, each in its own wire format. */
export const NOTIFICATION_CHANNEL_KINDS = ['slack', 'teams', 'discord', 'webhook', 'email'] as const;
export type NotificationChannelKind = (typeof NOTIFICATION_CHANNEL_KINDS)[number];

export function isNotificationChannelKind(value: unknown): value is NotificationChannelKind {
  return typeof value === 'string' && (NOTIFICATION_CHANNEL_KINDS as readonly string[]).includes(value);
}

/**
 * A channel's secret part, sealed at rest (`stored_secrets`, kind `notification_channel`, owner the
 * channel's id) and never answered by the API: the webhook URL (Slack, Teams, Discord and generic
 * webhooks carry their credential in the URL), the Standard Webhooks signing secret, SMTP credentials.
 */
export type NotificationChannelSecret =
  | { readonly kind: 'slack' | 'teams' | 'discord'; readonly url: string }
  /** `secret` is `whsec_<base64>` as the Standard Webhooks libraries take it. */
  | { readonly kind: 'webhook'; readonly url: string; readonly secret: string }
  | {
      readonly kind: 'email';
      /** Absent: the operator's SMTP server (SMTP_URL) is used. */
      readonly smtp?: {
        readonly host: string;
        readonly port: number;
        /** true: TLS from the start (465); false: STARTTLS when offered. */
        readonly secure: boolean;
        readonly user?: string;
        readonly password?: string;
      };
    };

/** What the API shows of a channel: enough to recognise it, nothing that grants access. */
export interface NotificationChannelSummary {
  /** The webhook URL's host (not its path or query, which hold the credential). */
  readonly host?: string;
  /** Email: recipients and sender. */
  readonly to?: readonly string[];
  readonly from?: string;
  /** Email with its own SMTP server: that server's host. */
  readonly smtp_host?: string;
}

export interface NotificationChannel {
  readonly id: string;
  readonly org_id: string;
  readonly name: string;
  readonly kind: NotificationChannelKind;
  readonly summary: NotificationChannelSummary;
}
