import { ValidationError, type ErrorDetail } from '../errors';
import {
  isNotificationChannelKind,
  NOTIFICATION_CHANNEL_KINDS,
  type NotificationChannelKind,
  type NotificationChannelSecret,
  type NotificationChannelSummary,
} from './notification-channel';

/** What a client sends to create or change a channel, not yet checked. */
export interface NotificationChannelInput {
  readonly name?: unknown;
  readonly kind?: unknown;
  /** Slack, Teams, Discord and generic webhooks. */
  readonly url?: unknown;
  /** Email: recipients, sender and (optionally) an SMTP server of the channel's own. */
  readonly to?: unknown;
  readonly from?: unknown;
  readonly smtp?: unknown;
}

/** What the operator allows, as the checks need it. */
export interface ChannelInputRules {
  /** NOTIFY_ALLOW_HTTP: plain http:// URLs (a receiver on the operator's own network). */
  readonly allowHttp: boolean;
  /** SMTP_URL is set: an email channel may go without an SMTP server of its own. */
  readonly operatorSmtp: boolean;
}

/** A host the server will connect to for this channel, to be judged by the OutboundAddressPolicy. */
export interface ChannelHost {
  readonly field: 'url' | 'smtp.host';
  readonly host: string;
}

/**
 * A channel's checked target: its secret part (the webhook's signing secret is added by whoever
 * generates it) and what the API may show of it.
 */
export interface ChannelTarget {
  readonly secret: NotificationChannelSecret;
  readonly summary: NotificationChannelSummary;
  readonly hosts: readonly ChannelHost[];
}

export const MAX_CHANNEL_URL_LENGTH = 2048;
export const MAX_EMAIL_RECIPIENTS = 20;
const NAME_MAX = 100;

// Deliberately narrow: an address goes into mail headers, so nothing that could start another
// address (`,` `;` `<`), a comment, a quoted part or a new header line.
const EMAIL =
  /^[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV6_LITERAL = /^[0-9a-f:.]+$/;

function hasControlOrSpace(value: string): boolean {
  return /[\s\\]/.test(value) || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

function invalid(details: readonly ErrorDetail[]): ValidationError {
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  return new ValidationError(`Invalid notification channel: check ${fields}`, details, 'REQUEST_INVALID');
}

/** A channel's name: 1–100 characters once trimmed, no control characters. */
export function parseChannelName(value: unknown, details: ErrorDetail[]): string | undefined {
  if (typeof value !== 'string') {
    details.push({ field: 'name', problem: 'must be a string of 1 to 100 characters' });
    return undefined;
  }
  const name = value.trim();
  if (name.length < 1 || name.length > NAME_MAX || [...name].some((c) => c.charCodeAt(0) < 0x20)) {
    details.push({ field: 'name', problem: 'must be 1 to 100 characters, without control characters' });
    return undefined;
  }
  return name;
}

/**
 * A webhook URL: https (http only where the operator allows it), at most 2,048 characters, no
 * credentials in the user part, no fragment, nothing a second URL parser could read differently.
 * The path and query are the credential: they are sealed, never shown.
 */
export function parseChannelUrl(
  value: unknown,
  rules: ChannelInputRules,
  details: ErrorDetail[],
): { url: string; host: string } | undefined {
  const problem = (text: string) => {
    details.push({ field: 'url', problem: text });
    return undefined;
  };
  const schemes = rules.allowHttp ? 'an https:// (or http://) URL' : 'an https:// URL';
  if (typeof value !== 'string' || value.length === 0) return problem(`must be ${schemes}`);
  if (value.length > MAX_CHANNEL_URL_LENGTH)
    return problem(`must be at most ${MAX_CHANNEL_URL_LENGTH} characters`);
  if (hasControlOrSpace(value))
    return problem('must not contain whitespace, control characters or backslashes');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return problem(`must be ${schemes}`);
  }
  if (url.protocol !== 'https:' && !(rules.allowHttp && url.protocol === 'http:')) {
    return problem(
      url.protocol === 'http:'
        ? 'must be https:// (this server does not send notifications over plain http)'
        : `must be ${schemes}`,
    );
  }
  if (url.username || url.password) return problem('must not carry a user name or password');
  if (url.hash) return problem('must not have a fragment');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (!host) return problem('needs a host');
  return { url: url.href, host };
}

export function parseEmailAddress(value: unknown, field: string, details: ErrorDetail[]): string | undefined {
  if (typeof value !== 'string' || value.length > 254 || !EMAIL.test(value.trim())) {
    details.push({ field, problem: 'must be an email address (name@example.com)' });
    return undefined;
  }
  return value.trim();
}

function parseRecipients(value: unknown, details: ErrorDetail[]): string[] | undefined {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_EMAIL_RECIPIENTS) {
    details.push({ field: 'to', problem: `must list 1 to ${MAX_EMAIL_RECIPIENTS} email addresses` });
    return undefined;
  }
  const before = details.length;
  const to = value.map((entry, i) => parseEmailAddress(entry, `to[${i}]`, details));
  if (details.length > before) return undefined;
  const unique = [...new Map(to.map((a) => [a!.toLowerCase(), a!])).values()];
  return unique;
}

type SmtpServer = NonNullable<Extract<NotificationChannelSecret, { kind: 'email' }>['smtp']>;

function parseSmtp(value: unknown, details: ErrorDetail[]): SmtpServer | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    details.push({ field: 'smtp', problem: 'must be an object {host, port, secure, user?, password?}' });
    return undefined;
  }
  const input = value as Record<string, unknown>;
  const before = details.length;
  for (const key of Object.keys(input)) {
    if (!['host', 'port', 'secure', 'user', 'password'].includes(key))
      details.push({ field: `smtp.${key}`, problem: 'is not a field of smtp' });
  }
  const rawHost = typeof input['host'] === 'string' ? input['host'].trim().toLowerCase() : '';
  const host = rawHost.replace(/^\[(.*)\]$/, '$1');
  if (!(HOST_NAME.test(host) || (host.includes(':') && IPV6_LITERAL.test(host))))
    details.push({ field: 'smtp.host', problem: 'must be a host name or IP address' });
  const port = input['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
    details.push({ field: 'smtp.port', problem: 'must be a port number (1 to 65535)' });
  if (typeof input['secure'] !== 'boolean')
    details.push({
      field: 'smtp.secure',
      problem: 'must be true (TLS from the start, 465) or false (STARTTLS)',
    });
  const user = input['user'];
  const password = input['password'];
  if (
    user !== undefined &&
    (typeof user !== 'string' || user.length < 1 || user.length > 200 || hasControlOrSpace(user))
  )
    details.push({ field: 'smtp.user', problem: 'must be 1 to 200 characters without spaces' });
  if (
    password !== undefined &&
    (typeof password !== 'string' || password.length < 1 || password.length > 1000)
  )
    details.push({ field: 'smtp.password', problem: 'must be 1 to 1000 characters' });
  if ((user === undefined) !== (password === undefined))
    details.push({
      field: user === undefined ? 'smtp.user' : 'smtp.password',
      problem: 'user and password go together',
    });
  if (details.length > before) return undefined;
  return {
    host,
    port: port as number,
    secure: input['secure'] as boolean,
    ...(typeof user === 'string' ? { user } : {}),
    ...(typeof password === 'string' ? { password } : {}),
  };
}

/** The kind a client asked for, or a detail naming `kind`. */
export function parseChannelKind(
  value: unknown,
  details: ErrorDetail[],
): NotificationChannelKind | undefined {
  if (isNotificationChannelKind(value)) return value;
  details.push({ field: 'kind', problem: `must be one of ${NOTIFICATION_CHANNEL_KINDS.join(', ')}` });
  return undefined;
}

/**
 * The target of a channel of `kind`: its URL, or its recipients, sender and SMTP server. Fields of
 * another kind are refused (an email channel has no `url`). `current` is the stored target when
 * a change gives only some fields; absent fields keep their value.
 */
export function parseChannelTarget(
  kind: NotificationChannelKind,
  input: NotificationChannelInput,
  rules: ChannelInputRules,
  details: ErrorDetail[],
  current?: { secret: NotificationChannelSecret; summary: NotificationChannelSummary },
): ChannelTarget | undefined {
  const before = details.length;
  if (kind !== 'email') {
    for (const field of ['to', 'from', 'smtp'] as const)
      if (input[field] !== undefined) details.push({ field, problem: `is for email channels, not ${kind}` });
    if (input.url === undefined && current && current.secret.kind !== 'email') {
      return details.length > before
        ? undefined
        : { secret: current.secret, summary: current.summary, hosts: [] };
    }
    const parsed = parseChannelUrl(input.url, rules, details);
    if (!parsed || details.length > before) return undefined;
    const secret: NotificationChannelSecret =
      kind === 'webhook'
        ? { kind, url: parsed.url, secret: current?.secret.kind === 'webhook' ? current.secret.secret : '' }
        : { kind, url: parsed.url };
    return { secret, summary: { host: parsed.host }, hosts: [{ field: 'url', host: parsed.host }] };
  }
  if (input.url !== undefined) details.push({ field: 'url', problem: 'is for webhook channels, not email' });
  const previous = current?.secret.kind === 'email' ? current : undefined;
  const to =
    input.to === undefined && previous?.summary.to
      ? [...previous.summary.to]
      : parseRecipients(input.to, details);
  let from: string | undefined;
  if (input.from === undefined) from = previous?.summary.from;
  else if (input.from !== null) from = parseEmailAddress(input.from, 'from', details);
  let smtp: SmtpServer | undefined;
  if (input.smtp === undefined) smtp = previous?.secret.kind === 'email' ? previous.secret.smtp : undefined;
  else if (input.smtp !== null) smtp = parseSmtp(input.smtp, details);
  if (details.length === before && !smtp && !rules.operatorSmtp) {
    details.push({
      field: 'smtp',
      problem: 'is required: this server has no SMTP server of its own (SMTP_URL is not set)',
    });
  }
  if (details.length > before || !to) return undefined;
  return {
    secret: { kind: 'email', ...(smtp ? { smtp } : {}) },
    summary: { to, ...(from ? { from } : {}), ...(smtp ? { smtp_host: smtp.host } : {}) },
    hosts: smtp && input.smtp !== undefined ? [{ field: 'smtp.host', host: smtp.host }] : [],
  };
}

/** A new channel: name, kind and target, every problem named at once (400 REQUEST_INVALID). */
export function parseNewChannel(
  input: NotificationChannelInput,
  rules: ChannelInputRules,
): { name: string; kind: NotificationChannelKind; target: ChannelTarget } {
  const details: ErrorDetail[] = [];
  const name = parseChannelName(input.name, details);
  const kind = parseChannelKind(input.kind, details);
  const target = kind ? parseChannelTarget(kind, input, rules, details) : undefined;
  if (details.length > 0 || !name || !kind || !target) throw invalid(details);
  return { name, kind, target };
}

/** A change to a stored channel: only the fields given; its kind never changes. */
export function parseChannelChange(
  current: {
    kind: NotificationChannelKind;
    secret: NotificationChannelSecret;
    summary: NotificationChannelSummary;
  },
  input: NotificationChannelInput,
  rules: ChannelInputRules,
): { name?: string; target?: ChannelTarget } {
  const details: ErrorDetail[] = [];
  if (input.kind !== undefined && input.kind !== current.kind)
    details.push({ field: 'kind', problem: 'cannot change: create a new channel instead' });
  const name = input.name === undefined ? undefined : parseChannelName(input.name, details);
  const changesTarget = ['url', 'to', 'from', 'smtp'].some(
    (field) => input[field as keyof NotificationChannelInput] !== undefined,
  );
  const target = changesTarget ? parseChannelTarget(current.kind, input, rules, details, current) : undefined;
  if (details.length > 0) throw invalid(details);
  return { ...(name !== undefined ? { name } : {}), ...(target ? { target } : {}) };
}
