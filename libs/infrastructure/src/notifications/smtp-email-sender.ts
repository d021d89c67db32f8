import * as tls from 'node:tls';
import { createTransport } from 'nodemailer';
import type {
  NotificationChannel,
  NotificationChannelSecret,
  NotificationMessage,
  OutboundAddressPolicy,
  SendOutcome,
} from '@repoguard/domain';
import { renderEmailMessage } from './render-email-message';

export interface SmtpEmailSenderOptions {
  /** The operator's server (SMTP_URL, trusted: not judged) for channels without their own. */
  readonly operatorUrl?: string;
  /** SMTP_FROM: the sender when a channel names none. */
  readonly operatorFrom?: string;
  /** Judges a channel's own SMTP host, as webhook URLs are judged. */
  readonly outbound: OutboundAddressPolicy;
  readonly timeoutMs: number;
  /** Extra CA certificate(s), PEM, trusted for channels' own SMTP servers besides the system's. */
  readonly trustedCa?: string;
}

type EmailSecret = Extract<NotificationChannelSecret, { kind: 'email' }>;

const FALLBACK_FROM = 'RepoGuard <repoguard@localhost>';

/**
 * Email over SMTP with nodemailer: the channel's own server (its host judged and the connection
 * pinned to the judged address, TLS still checked against the name) or the operator's.
 * 4xx replies and connection failures may pass on a retry; 5xx replies are final.
 */
export class SmtpEmailSender {
  constructor(private readonly options: SmtpEmailSenderOptions) {}

  async send(
    channel: NotificationChannel,
    secret: EmailSecret,
    message: NotificationMessage,
  ): Promise<SendOutcome> {
    const to = channel.summary.to ?? [];
    if (to.length === 0) return final(null, 'the channel has no recipients');
    const transport = await this.transportFor(secret);
    if ('error' in transport) return transport.error;
    const email = renderEmailMessage(message);
    // Through the operator's relay the sender is always SMTP_FROM (a relay vouches for its own
    // domain only, and an org must not send as anyone it likes); the channel's sender becomes the
    // Reply-To. Only with its own server is the channel's sender the From.
    const own = secret.smtp !== undefined;
    const operatorFrom = this.options.operatorFrom ?? FALLBACK_FROM;
    const from = own ? (channel.summary.from ?? operatorFrom) : operatorFrom;
    const replyTo = !own && channel.summary.from ? { replyTo: channel.summary.from } : {};
    try {
      await transport.sendMail({
        from,
        ...replyTo,
        to: [...to],
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        headers: { 'X-RepoGuard-Notification': message.kind },
      });
      return { delivered: true, status_code: 250 };
    } catch (error) {
      return outcomeOfSmtpError(error, transport.host);
    } finally {
      transport.close();
    }
  }

  private async transportFor(
    secret: EmailSecret,
  ): Promise<(ReturnType<typeof createTransport> & { host: string }) | { error: SendOutcome }> {
    const timeouts = {
      connectionTimeout: this.options.timeoutMs,
      greetingTimeout: this.options.timeoutMs,
      socketTimeout: this.options.timeoutMs,
    };
    if (!secret.smtp) {
      if (!this.options.operatorUrl)
        return { error: final(null, 'the channel has no SMTP server and SMTP_URL is not set') };
      const host = safeHost(this.options.operatorUrl);
      return Object.assign(createTransport({ url: this.options.operatorUrl, ...timeouts }), { host });
    }
    const { host, port, secure, user, password } = secret.smtp;
    const verdict = await this.options.outbound.judge(host);
    if (!verdict.allowed) {
      return {
        error:
          verdict.reason === 'forbidden'
            ? final(
                null,
                `SMTP host ${host} is or resolves to a ${verdict.range} address; this server does not connect there (NOTIFY_ALLOWED_HOSTS)`,
              )
            : {
                delivered: false,
                retryable: true,
                status_code: null,
                error: `could not resolve SMTP host ${host}`,
              },
      };
    }
    const login = user !== undefined && password !== undefined;
    const transport = createTransport({
      host: verdict.pin.address,
      port,
      secure,
      ...(login ? { auth: { user, pass: password } } : {}),
      // A password never goes out in the clear: without TLS from the start, STARTTLS is required,
      // so a server not offering it (or a middlebox stripping it) fails the send before AUTH.
      ...(login && !secure ? { requireTLS: true } : {}),
      // Connected by address; the certificate is still checked against the name.
      tls: {
        servername: host,
        ...(this.options.trustedCa ? { ca: [...tls.rootCertificates, this.options.trustedCa] } : {}),
      },
      ...timeouts,
    });
    return Object.assign(transport, { host });
  }
}

/** A reply code's first digit decides: 4 may pass later, 5 will not. No code: the connection failed. */
export function outcomeOfSmtpError(error: unknown, host: string): SendOutcome {
  const e = error as { responseCode?: unknown; code?: unknown; response?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const reply = typeof e.response === 'string' ? e.response.slice(0, 300) : null;
  // requireTLS: the server would not start TLS, so the login was never sent. A setting to fix.
  if (e.code === 'ETLS') {
    return {
      delivered: false,
      retryable: false,
      status_code: code,
      error: `SMTP server ${host} did not start TLS (STARTTLS), which a login requires; nothing was sent`,
    };
  }
  if (code !== null) {
    return {
      delivered: false,
      retryable: code >= 400 && code < 500,
      status_code: code,
      error: `SMTP server ${host} answered ${reply ?? code}`,
    };
  }
  const kind = typeof e.code === 'string' ? e.code : 'error';
  // A refused login without a reply code is a configuration problem, not a passing one.
  return {
    delivered: false,
    retryable: kind !== 'EAUTH',
    status_code: null,
    error: `SMTP server ${host}: ${kind === 'EAUTH' ? 'login refused' : `connection failed (${kind})`}`,
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'SMTP_URL';
  }
}

function final(code: number | null, error: string): SendOutcome {
  return { delivered: false, retryable: false, status_code: code, error };
}
