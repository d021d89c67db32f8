import { randomUUID } from 'node:crypto';
import type { NotificationChannel, NotificationChannelSecret } from '@repoguard/domain';
import {
  selfSignedCertificate,
  startNotificationReceivers,
  startSmtpReceiver,
  type HttpReceiverKind,
  type NotificationReceivers,
  type SmtpReceiver,
} from '../../../../test/support/notification-receivers';
import { IpaddrOutboundAddressPolicy } from '../network/ipaddr-outbound-address-policy';
import { createNotificationSender } from './channel-notification-sender';
import { manyEvents, message } from './notification-message.test-helper';
import { newWebhookSigningSecret } from './signing-secret';

// The receivers listen on the loopback, which the operator opens here (NOTIFY_ALLOWED_HOSTS).
const opened = new IpaddrOutboundAddressPolicy({ allowedHosts: ['127.0.0.1'] });
const closed = new IpaddrOutboundAddressPolicy();

const channelOf = (
  kind: NotificationChannel['kind'],
  summary: NotificationChannel['summary'] = {},
): NotificationChannel => ({
  id: randomUUID(),
  org_id: 'org-1',
  name: `${kind} channel`,
  kind,
  summary,
});

describe('ChannelNotificationSender against local receivers', () => {
  let receivers: NotificationReceivers;
  let smtp: SmtpReceiver;
  const sender = () =>
    createNotificationSender({
      outbound: opened,
      allowHttp: true,
      smtpUrl: smtp.url,
      smtpFrom: 'RepoGuard <rg@example.test>',
      timeoutMs: 1500,
    });

  beforeAll(async () => {
    receivers = await startNotificationReceivers();
    smtp = await startSmtpReceiver();
  });
  afterAll(async () => {
    await receivers?.close();
    await smtp?.close();
  });

  const target = (kind: HttpReceiverKind) => {
    const token = `${kind}-${randomUUID()}`;
    const url = receivers.url(kind, token);
    let secret: NotificationChannelSecret;
    if (kind === 'webhook') {
      const signing = newWebhookSigningSecret();
      receivers.setWebhookSecret(token, signing);
      secret = { kind, url, secret: signing };
    } else {
      secret = { kind, url };
    }
    return { token, secret };
  };

  it.each(['slack', 'teams', 'discord', 'webhook'] as const)(
    'delivers a %s message the receiver finds valid',
    async (kind) => {
      const { token, secret } = target(kind);
      const key = `group-${randomUUID()}`;
      const outcome = await sender().send(
        channelOf(kind),
        secret,
        message(manyEvents(3), { idempotency_key: key }),
      );
      expect(outcome).toEqual({
        delivered: true,
        status_code: { slack: 200, teams: 202, discord: 204, webhook: 204 }[kind],
      });
      expect(receivers.requests(token).map((r) => r.problems)).toEqual([[]]);
      expect(receivers.acceptedCount(key)).toBe(1);
    },
  );

  it.each(['slack', 'teams', 'discord', 'webhook'] as const)(
    "delivers a %s message of 10,000 events within the receiver's limits, counting them all",
    async (kind) => {
      const { token, secret } = target(kind);
      const outcome = await sender().send(channelOf(kind), secret, message(manyEvents(10_000)));
      expect(outcome).toMatchObject({ delivered: true });
      const [request] = receivers.requests(token);
      expect(request!.problems).toEqual([]);
      expect(request!.raw).toMatch(/10,?000|and 99\d\d more/);
    },
  );

  it('names the message in webhook-id and signs it so the library verifies it', async () => {
    const { token, secret } = target('webhook');
    await sender().send(
      channelOf('webhook'),
      secret,
      message(manyEvents(1), { idempotency_key: 'scan-9:ch-9' }),
    );
    const [request] = receivers.requests(token);
    expect(request!.headers['webhook-id']).toBe('scan-9:ch-9');
    expect(request!.headers['webhook-signature']).toMatch(/^v1,/);
    // The receiver refuses a body that another secret signed.
    receivers.setWebhookSecret(token, newWebhookSigningSecret());
    const refused = await sender().send(channelOf('webhook'), secret, message(manyEvents(1)));
    expect(refused).toMatchObject({ delivered: false, retryable: false, status_code: 400 });
  });

  it('makes 503 and 429 retryable with the wait Retry-After asks for (seconds or an HTTP date)', async () => {
    const { token, secret } = target('slack');
    const date = new Date(Date.now() + 120_000).toUTCString();
    receivers.script(token, [
      { status: 503, headers: { 'retry-after': '7' } },
      { status: 429, headers: { 'retry-after': date } },
      { status: 500 },
    ]);
    const send = () => sender().send(channelOf('slack'), secret, message(manyEvents(1)));
    expect(await send()).toMatchObject({
      delivered: false,
      retryable: true,
      status_code: 503,
      retry_after_ms: 7000,
    });
    const limited = await send();
    expect(limited).toMatchObject({ delivered: false, retryable: true, status_code: 429 });
    expect((limited as { retry_after_ms: number }).retry_after_ms).toBeGreaterThan(60_000);
    expect(await send()).toMatchObject({ delivered: false, retryable: true, status_code: 500 });
    expect(await send()).toEqual({ delivered: true, status_code: 200 });
  });

  it('makes other 4xx and redirects final, and never puts the URL path (the credential) in the error', async () => {
    const { token, secret } = target('discord');
    receivers.script(token, [
      { status: 404, body: `unknown webhook ${new URL(receivers.url('discord', token)).pathname}` },
      { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data' } },
    ]);
    const gone = await sender().send(channelOf('discord'), secret, message(manyEvents(1)));
    expect(gone).toMatchObject({ delivered: false, retryable: false, status_code: 404 });
    const moved = await sender().send(channelOf('discord'), secret, message(manyEvents(1)));
    expect(moved).toMatchObject({ delivered: false, retryable: false, status_code: 302 });
    for (const outcome of [gone, moved]) expect(JSON.stringify(outcome)).not.toContain(token);
    expect(receivers.requests(token)).toHaveLength(2);
  });

  it('gives up on a receiver that does not answer in time (retryable)', async () => {
    const { token, secret } = target('teams');
    receivers.script(token, [{ hang: true }]);
    const outcome = await sender().send(channelOf('teams'), secret, message(manyEvents(1)));
    expect(outcome).toMatchObject({ delivered: false, retryable: true, status_code: null });
    expect((outcome as { error: string }).error).toContain('did not answer');
  });

  it('counts a 2xx as delivered at once, even when its body keeps coming past the timeout', async () => {
    const { token, secret } = target('slack');
    receivers.script(token, [{ status: 200, drip: true }]);
    const outcome = await sender().send(channelOf('slack'), secret, message(manyEvents(1)));
    expect(outcome).toEqual({ delivered: true, status_code: 200 });
    expect(receivers.requests(token)).toHaveLength(1);
  });

  it('refuses internal addresses unless the operator opened them, before connecting', async () => {
    const { token, secret } = target('slack');
    const strict = createNotificationSender({ outbound: closed, allowHttp: true });
    const outcome = await strict.send(channelOf('slack'), secret, message(manyEvents(1)));
    expect(outcome).toMatchObject({ delivered: false, retryable: false, status_code: null });
    expect((outcome as { error: string }).error).toContain('loopback');
    const https = createNotificationSender({ outbound: opened, allowHttp: false });
    expect(await https.send(channelOf('slack'), secret, message(manyEvents(1)))).toMatchObject({
      delivered: false,
      retryable: false,
    });
    expect(receivers.requests(token)).toHaveLength(0);
  });

  it('connects to the address it judged, never resolving the name a second time (DNS rebinding)', async () => {
    const { token } = target('slack');
    const lookups: string[] = [];
    // The first answer is the judged one; any later lookup would point at an unused port's host.
    const rebinding = new IpaddrOutboundAddressPolicy({
      allowedHosts: ['127.0.0.1'],
      lookup: async (host) => {
        lookups.push(host);
        return lookups.length === 1 ? ['127.0.0.1'] : ['192.0.2.1'];
      },
    });
    const url = receivers.url('slack', token).replace('127.0.0.1', 'receiver.notifications.test');
    const outcome = await createNotificationSender({ outbound: rebinding, allowHttp: true }).send(
      channelOf('slack'),
      { kind: 'slack', url },
      message(manyEvents(1)),
    );
    expect(outcome).toEqual({ delivered: true, status_code: 200 });
    expect(lookups).toEqual(['receiver.notifications.test']);
    expect(receivers.requests(token)[0]!.headers.host).toMatch(/^receiver\.notifications\.test:/);
  });

  describe('email', () => {
    it('sends over SMTP with subject, text, escaped HTML and a Message-ID from the idempotency key', async () => {
      const to = [`ops-${randomUUID().slice(0, 8)}@example.test`];
      const before = smtp.mails.length;
      const outcome = await sender().send(
        channelOf('email', { to }),
        { kind: 'email' },
        message(manyEvents(2, { hostile: true }), { idempotency_key: 'scan-2:mail' }),
      );
      expect(outcome).toEqual({ delivered: true, status_code: 250 });
      const mail = smtp.mails[before]!;
      expect(mail.problems).toEqual([]);
      expect(mail.envelope.to).toEqual(to);
      expect(mail.parsed.subject).toBe('2 new vulnerabilities in acme/api');
      expect(mail.parsed.from?.text).toContain('rg@example.test');
      expect(mail.parsed.messageId).toMatch(/@notifications\.repoguard>$/);
      expect(mail.parsed.html).not.toMatch(/<script|<img/);
      expect(mail.parsed.html).toContain('&lt;script&gt;');
      expect(mail.parsed.text).toContain('<script>alert(1)</script>');
    });

    it('retries a 4xx reply, gives up on a 5xx one', async () => {
      smtp.refuseNext({ code: 451, message: 'try later' }, { code: 550, message: 'no such user' });
      const send = () =>
        sender().send(channelOf('email', { to: ['a@example.test'] }), { kind: 'email' }, message([]));
      expect(await send()).toMatchObject({ delivered: false, retryable: true, status_code: 451 });
      expect(await send()).toMatchObject({ delivered: false, retryable: false, status_code: 550 });
    });

    it("uses the channel's own SMTP server with its login over STARTTLS, judged like a URL", async () => {
      const tls = selfSignedCertificate();
      const own = await startSmtpReceiver({ login: { user: 'mailer', pass: 's3cret-pass' }, tls });
      // The receiver's certificate is trusted as an operator's private CA would be.
      const trusting = () =>
        createNotificationSender({ outbound: opened, allowHttp: true, timeoutMs: 1500, smtpCa: tls.cert });
      try {
        const secret: NotificationChannelSecret = {
          kind: 'email',
          smtp: { host: '127.0.0.1', port: own.port, secure: false, user: 'mailer', password: 's3cret-pass' },
        };
        const channel = channelOf('email', { to: ['b@example.test'], from: 'alerts@example.test' });
        expect(await trusting().send(channel, secret, message([]))).toEqual({
          delivered: true,
          status_code: 250,
        });
        // With its own server the channel's sender is the From.
        expect(own.mails[0]!.envelope.from).toBe('alerts@example.test');
        expect(own.mails[0]!.parsed.from?.value[0]?.address).toBe('alerts@example.test');
        expect(own.mails[0]!.parsed.replyTo).toBeUndefined();
        expect(own.logins).toEqual([{ user: 'mailer', secure: true }]);
        const wrong = { ...secret, smtp: { ...secret.smtp!, password: 'wrong' } };
        expect(await trusting().send(channel, wrong, message([]))).toMatchObject({
          delivered: false,
          retryable: false,
          status_code: 535,
        });
        const strict = createNotificationSender({ outbound: closed, allowHttp: false });
        expect(await strict.send(channel, secret, message([]))).toMatchObject({
          delivered: false,
          retryable: false,
        });
        expect(own.mails).toHaveLength(1);
      } finally {
        await own.close();
      }
    });

    it('never sends a password in the clear: a server without STARTTLS (or with it stripped) gets no AUTH', async () => {
      const plain = await startSmtpReceiver({ login: { user: 'mailer', pass: 's3cret-pass' } });
      try {
        const outcome = await sender().send(
          channelOf('email', { to: ['d@example.test'] }),
          {
            kind: 'email',
            smtp: {
              host: '127.0.0.1',
              port: plain.port,
              secure: false,
              user: 'mailer',
              password: 's3cret-pass',
            },
          },
          message([]),
        );
        expect(outcome).toMatchObject({ delivered: false, retryable: false });
        expect(outcome.delivered === false && outcome.error).toMatch(/did not start TLS \(STARTTLS\)/);
        expect(plain.logins).toEqual([]);
        expect(plain.mails).toEqual([]);
      } finally {
        await plain.close();
      }
    });

    it("sends through the operator's relay as SMTP_FROM, the channel's own sender as Reply-To", async () => {
      const before = smtp.mails.length;
      const outcome = await sender().send(
        channelOf('email', { to: ['e@example.test'], from: 'Security <security@customer.test>' }),
        { kind: 'email' },
        message([]),
      );
      expect(outcome).toEqual({ delivered: true, status_code: 250 });
      const mail = smtp.mails[before]!;
      expect(mail.envelope.from).toBe('rg@example.test');
      expect(mail.parsed.from?.value).toEqual([{ name: 'RepoGuard', address: 'rg@example.test' }]);
      expect(mail.parsed.replyTo?.value).toEqual([{ name: 'Security', address: 'security@customer.test' }]);
    });

    it('is retryable when the SMTP server is down', async () => {
      const down = await startSmtpReceiver();
      await down.close();
      const outcome = await sender().send(
        channelOf('email', { to: ['c@example.test'] }),
        { kind: 'email', smtp: { host: '127.0.0.1', port: down.port, secure: false } },
        message([]),
      );
      expect(outcome).toMatchObject({ delivered: false, retryable: true, status_code: null });
    });
  });
});
