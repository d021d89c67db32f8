// Local stand-ins for what notification channels send to: one HTTP server with a path per kind
// (/slack/<token>, /teams/<token>, /discord/<token>, /webhook/<token>) and an SMTP server. Each
// checks its kind's payload as strictly as the real service does (and our own rules on top:
// Discord mentions off, Standard Webhooks signatures), answers as a test tells it to, and counts
// the messages it accepted by idempotency key. A receiver that accepted anything would prove nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { Webhook } from 'standardwebhooks';

export const HTTP_RECEIVER_KINDS = ['slack', 'teams', 'discord', 'webhook'] as const;
export type HttpReceiverKind = (typeof HTTP_RECEIVER_KINDS)[number];

/**
 * How the receiver answers one request. `hang`: never answers (until the receiver closes).
 * `drip`: sends the status line and then a body that never ends (a byte now and then).
 */
export type ReceiverAnswer =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly status: number; readonly drip: true }
  | { readonly hang: true };

export interface ReceivedRequest {
  readonly kind: HttpReceiverKind;
  readonly token: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  /** Parsed JSON, or undefined when the body was not JSON. */
  readonly body: unknown;
  /** Every way the payload breaks the kind's format; empty when valid. */
  readonly problems: readonly string[];
  /** The status it was answered with (null: left hanging). */
  readonly status: number | null;
  readonly idempotencyKey: string | null;
}

const MAX_BODY = 1024 * 1024;
const SUCCESS: Record<HttpReceiverKind, ReceiverAnswer> = {
  slack: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' },
  // Teams Workflows queues the flow run and answers at once.
  teams: { status: 202 },
  discord: { status: 204 },
  webhook: { status: 204 },
};
const INVALID: Record<HttpReceiverKind, ReceiverAnswer> = {
  slack: { status: 400, headers: { 'content-type': 'text/plain' }, body: 'invalid_blocks' },
  teams: {
    status: 400,
    headers: { 'content-type': 'application/json' },
    body: '{"error":{"code":"InvalidRequestContent"}}',
  },
  discord: {
    status: 400,
    headers: { 'content-type': 'application/json' },
    body: '{"code":50035,"message":"Invalid Form Body"}',
  },
  webhook: { status: 400, body: 'invalid signature or payload' },
};

export interface NotificationReceivers {
  readonly origin: string;
  /** A URL of `kind` with a token of the test's own (the token stands for the URL's credential). */
  url(kind: HttpReceiverKind, token: string): string;
  /** The generic webhook at `token` verifies signatures with this secret. */
  setWebhookSecret(token: string, secret: string): void;
  /** The next answers at `token`, in order, before valid requests are accepted again. */
  script(token: string, answers: readonly ReceiverAnswer[]): void;
  /** Until `until`, every request at `token` gets `answer` (after any scripted answers). */
  answerUntil(token: string, answer: ReceiverAnswer, until: Date): void;
  /** Every request to `token`, valid or not, in order. */
  requests(token: string): ReceivedRequest[];
  /** Valid requests accepted (2xx) at `token`. */
  accepted(token: string): ReceivedRequest[];
  /** How many times a message with this idempotency key was accepted, anywhere. */
  acceptedCount(idempotencyKey: string): number;
  close(): Promise<void>;
}

export async function startNotificationReceivers(): Promise<NotificationReceivers> {
  const log: ReceivedRequest[] = [];
  const scripts = new Map<string, ReceiverAnswer[]>();
  const secrets = new Map<string, string>();
  const windows = new Map<string, { answer: ReceiverAnswer; until: number }>();
  const hanging = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    const match = /^\/(slack|teams|discord|webhook)\/([\w-]+)$/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (!match || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const kind = match[1] as HttpReceiverKind;
      const token = match[2]!;
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      const problems: string[] = [];
      if (size > MAX_BODY) problems.push('body over 1 MB');
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
        problems.push(`content-type ${req.headers['content-type']} is not application/json`);
      try {
        body = JSON.parse(raw);
      } catch {
        problems.push('body is not JSON');
      }
      if (body !== undefined) problems.push(...VALIDATORS[kind](body, raw, req.headers, secrets.get(token)));
      const window = windows.get(token);
      const scripted =
        scripts.get(token)?.shift() ?? (window && Date.now() < window.until ? window.answer : undefined);
      const answer: ReceiverAnswer = scripted ?? (problems.length > 0 ? INVALID[kind] : SUCCESS[kind]);
      const header = req.headers['idempotency-key'];
      log.push({
        kind,
        token,
        headers: req.headers,
        raw,
        body,
        problems,
        status: 'hang' in answer ? null : answer.status,
        idempotencyKey: typeof header === 'string' ? header : null,
      });
      if ('hang' in answer) {
        hanging.add(() => res.destroy());
        return;
      }
      if ('drip' in answer) {
        res.writeHead(answer.status, { 'content-type': 'text/plain' });
        res.write('o');
        const timer = setInterval(() => res.write('k'), 200);
        const stop = () => {
          clearInterval(timer);
          res.destroy();
        };
        res.on('close', () => clearInterval(timer));
        hanging.add(stop);
        return;
      }
      res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const acceptedOf = (r: ReceivedRequest) =>
    r.problems.length === 0 && r.status !== null && r.status >= 200 && r.status < 300;

  return {
    origin,
    url: (kind, token) => `${origin}/${kind}/${token}`,
    setWebhookSecret: (token, secret) => void secrets.set(token, secret),
    script: (token, answers) => void scripts.set(token, [...(scripts.get(token) ?? []), ...answers]),
    answerUntil: (token, answer, until) => void windows.set(token, { answer, until: until.getTime() }),
    requests: (token) => log.filter((r) => r.token === token),
    accepted: (token) => log.filter((r) => r.token === token && acceptedOf(r)),
    acceptedCount: (key) => log.filter((r) => r.idempotencyKey === key && acceptedOf(r)).length,
    async close() {
      for (const release of hanging) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Payload checks, one per kind.

type Validator = (body: unknown, raw: string, headers: IncomingHttpHeaders, secret?: string) => string[];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isUrl = (v: unknown) => {
  try {
    return typeof v === 'string' && /^https?:$/.test(new URL(v).protocol);
  } catch {
    return false;
  }
};
function onlyKeys(
  where: string,
  value: Record<string, unknown>,
  allowed: readonly string[],
  problems: string[],
) {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) problems.push(`${where}: unknown field ${key}`);
}
function text(where: string, value: unknown, max: number, problems: string[], min = 1): void {
  if (typeof value !== 'string') problems.push(`${where}: not a string`);
  else if (value.length < min || value.length > max)
    problems.push(`${where}: ${value.length} characters, limit ${min}..${max}`);
}

/** Slack Block Kit as incoming webhooks validate it (https://api.slack.com/reference/block-kit). */
export const validateSlack: Validator = (body) => {
  const p: string[] = [];
  if (!isObject(body)) return ['not an object'];
  onlyKeys(
    'message',
    body,
    ['text', 'blocks', 'attachments', 'thread_ts', 'mrkdwn', 'unfurl_links', 'unfurl_media'],
    p,
  );
  if (body['blocks'] === undefined && body['text'] === undefined) p.push('no_text');
  if (body['text'] !== undefined) text('text', body['text'], 40_000, p);
  const blocks = body['blocks'];
  if (blocks === undefined) return p;
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > 50)
    return [...p, 'blocks: 1 to 50 required'];
  const textObject = (where: string, value: unknown, max: number, types: readonly string[]) => {
    if (!isObject(value)) return p.push(`${where}: not a text object`);
    onlyKeys(where, value, ['type', 'text', 'emoji', 'verbatim'], p);
    if (!types.includes(value['type'] as string)) p.push(`${where}: type ${String(value['type'])}`);
    text(`${where}.text`, value['text'], max, p);
  };
  blocks.forEach((block: unknown, i) => {
    const at = `blocks[${i}]`;
    if (!isObject(block)) return p.push(`${at}: not an object`);
    if (block['block_id'] !== undefined) text(`${at}.block_id`, block['block_id'], 255, p);
    switch (block['type']) {
      case 'header':
        onlyKeys(at, block, ['type', 'text', 'block_id'], p);
        textObject(`${at}.text`, block['text'], 150, ['plain_text']);
        break;
      case 'section': {
        onlyKeys(at, block, ['type', 'text', 'fields', 'block_id', 'accessory'], p);
        if (block['text'] === undefined && block['fields'] === undefined)
          p.push(`${at}: needs text or fields`);
        if (block['text'] !== undefined)
          textObject(`${at}.text`, block['text'], 3000, ['mrkdwn', 'plain_text']);
        const fields = block['fields'];
        if (fields !== undefined) {
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > 10)
            p.push(`${at}.fields: 1 to 10`);
          else
            fields.forEach((f: unknown, j) =>
              textObject(`${at}.fields[${j}]`, f, 2000, ['mrkdwn', 'plain_text']),
            );
        }
        break;
      }
      case 'context': {
        onlyKeys(at, block, ['type', 'elements', 'block_id'], p);
        const elements = block['elements'];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10)
          p.push(`${at}.elements: 1 to 10`);
        else
          elements.forEach((e: unknown, j) =>
            textObject(`${at}.elements[${j}]`, e, 2000, ['mrkdwn', 'plain_text']),
          );
        break;
      }
      case 'actions': {
        onlyKeys(at, block, ['type', 'elements', 'block_id'], p);
        const elements = block['elements'];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) {
          p.push(`${at}.elements: 1 to 25`);
          break;
        }
        elements.forEach((e: unknown, j) => {
          const where = `${at}.elements[${j}]`;
          if (!isObject(e) || e['type'] !== 'button') return p.push(`${where}: only buttons are sent`);
          onlyKeys(where, e, ['type', 'text', 'url', 'action_id', 'value', 'style'], p);
          textObject(`${where}.text`, e['text'], 75, ['plain_text']);
          if (e['url'] !== undefined && (!isUrl(e['url']) || (e['url'] as string).length > 3000))
            p.push(`${where}.url: not a URL`);
          if (e['action_id'] !== undefined) text(`${where}.action_id`, e['action_id'], 255, p);
        });
        break;
      }
      case 'divider':
        onlyKeys(at, block, ['type', 'block_id'], p);
        break;
      default:
        p.push(`${at}: unknown block type ${String(block['type'])}`);
    }
  });
  return p;
};

const CARD_ELEMENTS = ['TextBlock', 'FactSet', 'Container', 'ColumnSet', 'Image', 'RichTextBlock'];

/** The Teams Workflows webhook's message with one Adaptive Card (schema 1.x up to 1.5, as Teams renders). */
export const validateTeams: Validator = (body, raw) => {
  const p: string[] = [];
  if (!isObject(body)) return ['not an object'];
  if (Buffer.byteLength(raw) > 28 * 1024) p.push('message over 28 KB (Teams refuses it)');
  onlyKeys('message', body, ['type', 'attachments'], p);
  if (body['type'] !== 'message') p.push('type must be "message"');
  const attachments = body['attachments'];
  if (!Array.isArray(attachments) || attachments.length === 0) return [...p, 'attachments: at least one'];
  attachments.forEach((a: unknown, i) => {
    const at = `attachments[${i}]`;
    if (!isObject(a)) return p.push(`${at}: not an object`);
    onlyKeys(at, a, ['contentType', 'contentUrl', 'content'], p);
    if (a['contentType'] !== 'application/vnd.microsoft.card.adaptive') p.push(`${at}.contentType`);
    if (!('contentUrl' in a) || a['contentUrl'] !== null) p.push(`${at}.contentUrl must be null`);
    const card = a['content'];
    if (!isObject(card)) return p.push(`${at}.content: not an object`);
    if (card['$schema'] !== 'http://adaptivecards.io/schemas/adaptive-card.json')
      p.push(`${at}.content.$schema`);
    if (card['type'] !== 'AdaptiveCard') p.push(`${at}.content.type`);
    if (typeof card['version'] !== 'string' || !/^1\.[0-5]$/.test(card['version']))
      p.push(`${at}.content.version`);
    const items = card['body'];
    if (!Array.isArray(items) || items.length === 0) p.push(`${at}.content.body: at least one element`);
    else
      items.forEach((e: unknown, j) => {
        const where = `${at}.content.body[${j}]`;
        if (!isObject(e) || !CARD_ELEMENTS.includes(e['type'] as string))
          return p.push(`${where}: unknown element`);
        if (e['type'] === 'TextBlock') text(`${where}.text`, e['text'], 20_000, p);
        if (e['type'] === 'FactSet') {
          const facts = e['facts'];
          if (!Array.isArray(facts) || facts.length === 0) p.push(`${where}.facts: at least one`);
          else
            facts.forEach((f: unknown, k) => {
              if (!isObject(f) || typeof f['title'] !== 'string' || typeof f['value'] !== 'string')
                p.push(`${where}.facts[${k}]: needs title and value strings`);
            });
        }
      });
    const actions = card['actions'];
    if (actions !== undefined) {
      if (!Array.isArray(actions)) p.push(`${at}.content.actions: not an array`);
      else
        actions.forEach((action: unknown, j) => {
          const where = `${at}.content.actions[${j}]`;
          if (!isObject(action) || action['type'] !== 'Action.OpenUrl')
            return p.push(`${where}: only Action.OpenUrl`);
          if (!isUrl(action['url'])) p.push(`${where}.url: not an absolute URL`);
          text(`${where}.title`, action['title'], 200, p);
        });
    }
  });
  return p;
};

/** A Discord webhook execution (https://discord.com/developers/docs/resources/webhook#execute-webhook). */
export const validateDiscord: Validator = (body) => {
  const p: string[] = [];
  if (!isObject(body)) return ['not an object'];
  onlyKeys(
    'message',
    body,
    ['content', 'username', 'avatar_url', 'tts', 'embeds', 'allowed_mentions', 'flags'],
    p,
  );
  if (body['content'] !== undefined) text('content', body['content'], 2000, p, 0);
  const embeds = body['embeds'];
  if (!body['content'] && (!Array.isArray(embeds) || embeds.length === 0)) p.push('needs content or embeds');
  // Ours, on top of Discord's: advisory text must never ping anyone.
  const mentions = body['allowed_mentions'];
  if (!isObject(mentions) || !Array.isArray(mentions['parse']) || mentions['parse'].length !== 0)
    p.push('allowed_mentions.parse must be []');
  if (embeds === undefined) return p;
  if (!Array.isArray(embeds) || embeds.length > 10) return [...p, 'embeds: at most 10'];
  let total = 0;
  embeds.forEach((e: unknown, i) => {
    const at = `embeds[${i}]`;
    if (!isObject(e)) return p.push(`${at}: not an object`);
    onlyKeys(at, e, ['title', 'description', 'url', 'color', 'fields', 'footer', 'timestamp', 'author'], p);
    const count = (where: string, value: unknown, max: number, min = 0) => {
      text(where, value, max, p, min);
      if (typeof value === 'string') total += value.length;
    };
    if (e['title'] !== undefined) count(`${at}.title`, e['title'], 256);
    if (e['description'] !== undefined) count(`${at}.description`, e['description'], 4096);
    if (e['url'] !== undefined && !isUrl(e['url'])) p.push(`${at}.url: not a URL`);
    if (
      e['color'] !== undefined &&
      !(Number.isInteger(e['color']) && (e['color'] as number) >= 0 && (e['color'] as number) <= 0xffffff)
    )
      p.push(`${at}.color: not a 24-bit integer`);
    if (
      e['timestamp'] !== undefined &&
      (typeof e['timestamp'] !== 'string' || Number.isNaN(Date.parse(e['timestamp'])))
    )
      p.push(`${at}.timestamp: not ISO 8601`);
    if (e['footer'] !== undefined) {
      if (!isObject(e['footer'])) p.push(`${at}.footer: not an object`);
      else count(`${at}.footer.text`, e['footer']['text'], 2048, 1);
    }
    const fields = e['fields'];
    if (fields !== undefined) {
      if (!Array.isArray(fields) || fields.length > 25) p.push(`${at}.fields: at most 25`);
      else
        fields.forEach((f: unknown, j) => {
          if (!isObject(f)) return p.push(`${at}.fields[${j}]: not an object`);
          onlyKeys(`${at}.fields[${j}]`, f, ['name', 'value', 'inline'], p);
          count(`${at}.fields[${j}].name`, f['name'], 256, 1);
          count(`${at}.fields[${j}].value`, f['value'], 1024, 1);
        });
    }
  });
  if (total > 6000) p.push(`embeds: ${total} characters in all, limit 6000`);
  return p;
};

/** Standard Webhooks: the library's own verification, then the body's {type, timestamp, data}. */
export const validateWebhook: Validator = (body, raw, headers, secret) => {
  const p: string[] = [];
  if (!secret) return ['no signing secret set for this receiver'];
  const header = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : '');
  try {
    new Webhook(secret).verify(raw, {
      'webhook-id': header('webhook-id'),
      'webhook-timestamp': header('webhook-timestamp'),
      'webhook-signature': header('webhook-signature'),
    });
  } catch (error) {
    p.push(`signature: ${(error as Error).message}`);
  }
  if (!isObject(body)) return [...p, 'not an object'];
  onlyKeys('payload', body, ['type', 'timestamp', 'data'], p);
  if (typeof body['type'] !== 'string' || !/^[\w.-]+$/.test(body['type'])) p.push('type: a dotted name');
  if (typeof body['timestamp'] !== 'string' || Number.isNaN(Date.parse(body['timestamp'])))
    p.push('timestamp: ISO 8601');
  const data = body['data'];
  if (!isObject(data)) p.push('data: not an object');
  else if (data['idempotency_key'] !== header('webhook-id'))
    p.push('webhook-id is not the message idempotency_key');
  return p;
};

const VALIDATORS: Record<HttpReceiverKind, Validator> = {
  slack: validateSlack,
  teams: validateTeams,
  discord: validateDiscord,
  webhook: validateWebhook,
};

// ---------------------------------------------------------------------------------------------
// SMTP.

export interface ReceivedMail {
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly parsed: ParsedMail;
  readonly raw: string;
  readonly problems: readonly string[];
}

export interface SmtpReceiver {
  readonly host: string;
  readonly port: number;
  /** smtp://host:port for SMTP_URL. */
  readonly url: string;
  readonly mails: ReceivedMail[];
  /** Every AUTH a client tried, and whether the connection was encrypted by then. */
  readonly logins: { user: string; secure: boolean }[];
  /** The next messages are refused with these replies (e.g. 451 then 550). */
  refuseNext(...replies: { code: number; message: string }[]): void;
  close(): Promise<void>;
}

/** A certificate for 127.0.0.1 and the CA a client must trust for it (itself), made with openssl. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-smtp-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1']
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1'])
        .concat(['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A real SMTP server (smtp-server), every message parsed with mailparser. STARTTLS is offered only
 * with `tls` (a certificate the client is told to trust); without it a client speaks plain SMTP.
 * `login`, when given, is required, and offered even in the clear (as a careless server does).
 * A message without a Message-ID, subject, text or HTML part is refused (554).
 */
export async function startSmtpReceiver(
  options: { login?: { user: string; pass: string }; tls?: { key: string; cert: string } } = {},
): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const logins: { user: string; secure: boolean }[] = [];
  const refusals: { code: number; message: string }[] = [];
  const serverOptions: SMTPServerOptions = {
    disabledCommands: [...(options.tls ? [] : ['STARTTLS']), ...(options.login ? [] : ['AUTH'])],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    allowInsecureAuth: true,
    authOptional: !options.login,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, session, callback) {
      logins.push({ user: auth.username ?? '', secure: session.secure });
      if (options.login && auth.username === options.login.user && auth.password === options.login.pass)
        return callback(null, { user: auth.username });
      const error = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = refusals.shift();
        if (refusal)
          return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            const problems = [
              ...(parsed.messageId ? [] : ['no Message-ID']),
              ...(parsed.subject ? [] : ['no subject']),
              ...(parsed.text ? [] : ['no text part']),
              ...(parsed.html ? [] : ['no HTML part']),
              ...(parsed.from?.value.length ? [] : ['no From']),
            ];
            mails.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              parsed,
              raw,
              problems,
            });
            if (problems.length > 0)
              return callback(
                Object.assign(new Error(`Refused: ${problems.join(', ')}`), { responseCode: 554 }),
              );
            callback();
          },
          (error: Error) => callback(Object.assign(error, { responseCode: 554 })),
        );
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    logins,
    refuseNext: (...replies) => void refusals.push(...replies),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
