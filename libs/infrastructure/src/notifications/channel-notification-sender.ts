import { Webhook } from 'standardwebhooks';
import type {
  NotificationChannel,
  NotificationChannelSecret,
  NotificationMessage,
  NotificationSender,
  OutboundAddressPolicy,
  SendOutcome,
} from '@repoguard/domain';
import { pinnedPost } from './pinned-http-post';
import { renderDiscordMessage } from './render-discord-message';
import { renderSlackMessage } from './render-slack-message';
import { renderTeamsMessage } from './render-teams-message';
import { renderWebhookPayload } from './render-webhook-payload';
import { SmtpEmailSender } from './smtp-email-sender';

export interface ChannelNotificationSenderOptions {
  /** The same checks as repository URLs, with the operator's NOTIFY_ALLOWED_HOSTS. */
  readonly outbound: OutboundAddressPolicy;
  /** NOTIFY_ALLOW_HTTP: plain http:// receivers (the operator's own network). */
  readonly allowHttp: boolean;
  readonly email: SmtpEmailSender;
  /** One attempt's limit; the delivery's retries are its caller's. */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

export const NOTIFICATION_TIMEOUT_MS = 10_000;

/**
 * Sends a message to a channel in the channel's own wire format: Slack Block Kit, a Teams
 * Adaptive Card, a Discord embed, a Standard Webhooks signed JSON body, or an email. The URL's host
 * is judged again at every send (a name may resolve elsewhere since the channel was saved) and the
 * connection pinned to what was judged. Never throws for what a receiver answers.
 */
export class ChannelNotificationSender implements NotificationSender {
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: ChannelNotificationSenderOptions) {
    this.timeoutMs = options.timeoutMs ?? NOTIFICATION_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
  }

  async send(
    channel: NotificationChannel,
    secret: NotificationChannelSecret,
    message: NotificationMessage,
  ): Promise<SendOutcome> {
    if (secret.kind !== channel.kind) {
      return final(`the channel's stored secret is for ${secret.kind}, not ${channel.kind}`);
    }
    switch (secret.kind) {
      case 'email':
        return this.options.email.send(channel, secret, message);
      case 'slack':
        return this.post(secret.url, JSON.stringify(renderSlackMessage(message)), keyed(message));
      case 'teams':
        return this.post(secret.url, JSON.stringify(renderTeamsMessage(message)), keyed(message));
      case 'discord':
        return this.post(secret.url, JSON.stringify(renderDiscordMessage(message)), keyed(message));
      case 'webhook': {
        const { id, body } = renderWebhookPayload(message);
        // One instant for the signature and the header: the receiver checks one against the other.
        const at = this.now();
        let signature: string;
        try {
          signature = new Webhook(secret.secret).sign(id, at, body);
        } catch {
          return final("the channel's signing secret is not a valid whsec_ secret: rotate it");
        }
        return this.post(secret.url, body, {
          ...keyed(message),
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        });
      }
    }
  }

  private async post(raw: string, body: string, headers: Record<string, string>): Promise<SendOutcome> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return final('the stored URL is not a URL');
    }
    if (url.protocol !== 'https:' && !(this.options.allowHttp && url.protocol === 'http:')) {
      return final(`${url.protocol}// URLs are not allowed by this server (NOTIFY_ALLOW_HTTP)`);
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const verdict = await this.options.outbound.judge(host);
    if (!verdict.allowed) {
      return verdict.reason === 'forbidden'
        ? final(
            `host ${host} is or resolves to a ${verdict.range} address; this server does not connect there (NOTIFY_ALLOWED_HOSTS)`,
          )
        : { delivered: false, retryable: true, status_code: null, error: `could not resolve host ${host}` };
    }
    return pinnedPost({ url, pin: verdict.pin, body, headers, timeoutMs: this.timeoutMs });
  }
}

/**
 * Every HTTP send names its message (the IETF Idempotency-Key header): chat services ignore it, a
 * proxy or receiver that dedupes can use it, and the test receivers count messages by it.
 */
function keyed(message: NotificationMessage): Record<string, string> {
  return { 'idempotency-key': message.idempotency_key };
}

function final(error: string): SendOutcome {
  return { delivered: false, retryable: false, status_code: null, error };
}

/** The sender as both processes build it from `notificationSettings(config)`. */
export interface NotificationSenderSettings {
  readonly outbound: OutboundAddressPolicy;
  readonly allowHttp: boolean;
  readonly smtpUrl?: string;
  readonly smtpFrom?: string;
  /** PEM of a CA trusted for channels' own SMTP servers besides the system's (a private CA). */
  readonly smtpCa?: string;
  readonly timeoutMs?: number;
}

export function createNotificationSender(settings: NotificationSenderSettings): ChannelNotificationSender {
  const timeoutMs = settings.timeoutMs ?? NOTIFICATION_TIMEOUT_MS;
  return new ChannelNotificationSender({
    outbound: settings.outbound,
    allowHttp: settings.allowHttp,
    timeoutMs,
    email: new SmtpEmailSender({
      outbound: settings.outbound,
      timeoutMs,
      ...(settings.smtpUrl ? { operatorUrl: settings.smtpUrl } : {}),
      ...(settings.smtpFrom ? { operatorFrom: settings.smtpFrom } : {}),
      ...(settings.smtpCa ? { trustedCa: settings.smtpCa } : {}),
    }),
  });
}
