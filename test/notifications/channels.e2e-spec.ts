// Issue 18, channels: each kind created through the API against local receivers that check the
// real wire format, a test-send answered with the receiver's own verdict, secrets never answered
// nor audited, internal addresses refused, tenants kept apart, and no input or receiver failure
// turning into a 5xx.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request } from '../support/http';
import {
  startNotificationReceivers,
  startSmtpReceiver,
  type HttpReceiverKind,
  type NotificationReceivers,
  type SmtpReceiver,
} from '../support/notification-receivers';

describe('notification channels over the API', () => {
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  let app: ApiProcess;
  let db: Client;
  let receivers: NotificationReceivers;
  let smtp: SmtpReceiver;
  let orgId: string;
  let owner: string;
  let viewer: string;
  let otherOrg: { id: string; owner: string };
  /** Every answer of this file: none may carry a secret the test handed the API. */
  const answers: string[] = [];
  /** URL tokens (the credential of a webhook URL) and passwords: never answered, never audited. */
  const secrets: string[] = [];
  /** Signing secrets: answered once (creation or rotation), never audited. */
  const signingSecrets: string[] = [];

  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await request(`${app.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    answers.push(JSON.stringify(response.body ?? null));
    expect(response.status).toBeLessThan(500);
    return response;
  };

  async function createOrg(label: string) {
    const slug = `${label}-${randomUUID().slice(0, 8)}`;
    const created = await api(adminToken, 'POST', '/orgs', {
      name: label,
      slug,
      owner_email: `owner-${slug}@example.test`,
    });
    expect(created.status).toBe(201);
    return { id: created.body.org.id as string, owner: created.body.token as string, slug };
  }

  beforeAll(async () => {
    receivers = await startNotificationReceivers();
    smtp = await startSmtpReceiver();
    app = await startApiProcess(
      testApiEnv({
        REPOGUARD_ADMIN_TOKEN: adminToken,
        REPOGUARD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        // The receivers listen on the loopback over plain http: the operator opens both.
        NOTIFY_ALLOWED_HOSTS: '127.0.0.1',
        NOTIFY_ALLOW_HTTP: 'true',
        SMTP_URL: smtp.url,
        SMTP_FROM: 'RepoGuard <repoguard@example.test>',
      }),
    );
    db = new Client({ connectionString: process.env['DATABASE_URL'] });
    await db.connect();
    const org = await createOrg('channels');
    orgId = org.id;
    owner = org.owner;
    const invited = await api(owner, 'POST', `/orgs/${orgId}/invite`, {
      email: `viewer-${org.slug}@example.test`,
      role: 'viewer',
    });
    const accepted = await request(`${app.url}${invited.body.accept_path}`, { method: 'POST' });
    viewer = accepted.body.token;
    otherOrg = await createOrg('other');
  });
  afterAll(async () => {
    await app?.close();
    await db?.end();
    await receivers?.close();
    await smtp?.close();
  });

  async function auditRows(): Promise<{ action: string; metadata: unknown }[]> {
    const { rows } = await db.query<{ action: string; metadata: unknown }>(
      'select action, metadata from audit_logs where org_id = $1 order by created_at',
      [orgId],
    );
    return rows;
  }

  async function createHttpChannel(kind: HttpReceiverKind) {
    const token = `${kind}-${randomUUID()}`;
    const url = receivers.url(kind, token);
    secrets.push(token);
    const created = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, {
      name: `${kind} ${randomUUID()}`,
      kind,
      url,
    });
    expect(created.status).toBe(201);
    return { token, url, channel: created.body };
  }

  it.each(['slack', 'teams', 'discord'] as const)(
    'creates a %s channel and test-sends a valid message to it',
    async (kind) => {
      const { token, channel } = await createHttpChannel(kind);
      expect(channel).toMatchObject({
        kind,
        org_id: orgId,
        summary: { host: '127.0.0.1' },
        signing_secret: null,
      });

      const tested = await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${channel.id}/test`);

      expect(tested.status).toBe(200);
      expect(tested.body).toEqual({
        delivered: true,
        status_code: { slack: 200, teams: 202, discord: 204 }[kind],
        error: null,
      });
      const [received] = receivers.accepted(token);
      expect(received!.problems).toEqual([]);
      expect(JSON.stringify(received!.body)).toContain('Test notification for channel');
    },
  );

  it('creates a generic webhook, answers its signing secret once, and signs test-sends with it', async () => {
    const token = `webhook-${randomUUID()}`;
    secrets.push(token);
    const created = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, {
      name: `hook ${randomUUID()}`,
      kind: 'webhook',
      url: receivers.url('webhook', token),
    });
    expect(created.status).toBe(201);
    const signing: string = created.body.signing_secret;
    expect(signing).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receivers.setWebhookSecret(token, signing);
    const id = created.body.id;
    const read = await api(owner, 'GET', `/orgs/${orgId}/notification-channels/${id}`);
    expect(read.body).not.toHaveProperty('signing_secret');
    expect(JSON.stringify(read.body)).not.toContain(signing.slice(6, 20));

    expect((await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${id}/test`)).body).toMatchObject({
      delivered: true,
    });
    expect(receivers.accepted(token)).toHaveLength(1);
    expect(receivers.accepted(token)[0]!.headers['webhook-id']).toMatch(/^test:/);

    // A new secret: the receiver that still holds the old one refuses the next test-send.
    const rotated = await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.signing_secret).not.toBe(signing);
    signingSecrets.push(signing.slice(6), rotated.body.signing_secret.slice(6));
    const refused = await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${id}/test`);
    expect(refused.body).toMatchObject({ delivered: false, status_code: 400 });
    receivers.setWebhookSecret(token, rotated.body.signing_secret);
    expect((await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${id}/test`)).body).toMatchObject({
      delivered: true,
    });
  });

  it("sends email over SMTP (the operator's server) with escaped HTML", async () => {
    const to = [`security-${randomUUID().slice(0, 8)}@example.test`];
    const created = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, {
      name: `mail ${to[0]}`,
      kind: 'email',
      to,
    });
    expect(created.status).toBe(201);
    expect(created.body.summary).toEqual({ to });
    const before = smtp.mails.length;

    const tested = await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${created.body.id}/test`);

    expect(tested.body).toEqual({ delivered: true, status_code: 250, error: null });
    const mail = smtp.mails[before]!;
    expect(mail.problems).toEqual([]);
    expect(mail.envelope.to).toEqual(to);
    expect(mail.parsed.subject).toContain('Test notification for channel');
    expect(mail.parsed.from?.text).toContain('repoguard@example.test');
    expect(mail.parsed.html).toContain('&quot;mail ');
    expect(mail.parsed.html).not.toMatch(/"mail security/);
  });

  it("keeps an email channel's own SMTP password sealed: never answered, never audited", async () => {
    const password = `smtp-pass-${randomUUID()}`;
    secrets.push(password);
    const created = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, {
      name: `own smtp ${randomUUID()}`,
      kind: 'email',
      to: ['a@example.test'],
      from: 'alerts@example.test',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'mailer', password },
    });
    expect(created.status).toBe(201);
    expect(created.body.summary).toEqual({
      to: ['a@example.test'],
      from: 'alerts@example.test',
      smtp_host: '127.0.0.1',
    });
    // The receiver offers no AUTH: whatever the client makes of that, the answer is the result.
    const tested = await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${created.body.id}/test`);
    expect(tested.status).toBe(200);
    const { rows } = await db.query<{ sealed: string }>(
      "select sealed from stored_secrets where kind = 'notification_channel' and owner_id = $1",
      [created.body.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealed).toMatch(/^v1\./);
    expect(rows[0]!.sealed).not.toContain(password);
  });

  it('lets a viewer list and read channels but not create, change, test or delete them', async () => {
    const { channel } = await createHttpChannel('slack');
    expect((await api(viewer, 'GET', `/orgs/${orgId}/notification-channels`)).status).toBe(200);
    expect((await api(viewer, 'GET', `/orgs/${orgId}/notification-channels/${channel.id}`)).status).toBe(200);
    const calls: [string, string, unknown?][] = [
      [
        'POST',
        `/orgs/${orgId}/notification-channels`,
        { name: 'v', kind: 'slack', url: receivers.url('slack', 'v') },
      ],
      ['PATCH', `/orgs/${orgId}/notification-channels/${channel.id}`, { name: 'renamed' }],
      ['POST', `/orgs/${orgId}/notification-channels/${channel.id}/test`],
      ['DELETE', `/orgs/${orgId}/notification-channels/${channel.id}`],
    ];
    for (const [method, path, body] of calls) {
      const refused = await api(viewer, method, path, body);
      expect([method, refused.status]).toEqual([method, 403]);
    }
  });

  it("answers another org's channel exactly like a missing one (404), on every route", async () => {
    const { channel } = await createHttpChannel('discord');
    const foreign = otherOrg.owner;
    const paths = (id: string): [string, string, unknown?][] => [
      ['GET', `/orgs/${otherOrg.id}/notification-channels/${id}`],
      ['PATCH', `/orgs/${otherOrg.id}/notification-channels/${id}`, { name: 'stolen' }],
      ['POST', `/orgs/${otherOrg.id}/notification-channels/${id}/test`],
      ['POST', `/orgs/${otherOrg.id}/notification-channels/${id}/rotate-secret`],
      ['DELETE', `/orgs/${otherOrg.id}/notification-channels/${id}`],
    ];
    for (const [method, path, body] of paths(channel.id)) {
      const answer = await api(foreign, method, path, body);
      expect([method, path, answer.status, answer.body.error.code]).toEqual([
        method,
        path,
        404,
        'NOTIFICATION_CHANNEL_NOT_FOUND',
      ]);
    }
    // And through its own org's path, with the other org's token: the org itself is not theirs.
    expect((await api(foreign, 'GET', `/orgs/${orgId}/notification-channels/${channel.id}`)).status).toBe(
      404,
    );
    expect((await api(foreign, 'GET', `/orgs/${otherOrg.id}/notification-channels`)).body.items).toEqual([]);
    expect((await api(owner, 'GET', `/orgs/${orgId}/notification-channels/${channel.id}`)).body.name).toBe(
      channel.name,
    );
  });

  it.each([
    ['10.0.0.1', 'http://10.0.0.1/hook'],
    ['169.254.169.254', 'https://169.254.169.254/latest/meta-data'],
    ['::1', 'https://[::1]:8443/hook'],
    ['127.0.0.2 in hex', 'https://0x7f000002/hook'],
  ])('refuses a URL pointing inside the network (%s) with a 400 naming url', async (_label, url) => {
    const refused = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, {
      name: `internal ${randomUUID()}`,
      kind: 'slack',
      url,
    });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'NOTIFICATION_ADDRESS_FORBIDDEN']);
    expect(refused.body.error.details).toEqual([
      { field: 'url', problem: expect.stringContaining('NOTIFY_ALLOWED_HOSTS') },
    ]);
  });

  it('refuses an SMTP server inside the network the same way (400 naming smtp.host)', async () => {
    const refused = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, {
      name: `internal smtp ${randomUUID()}`,
      kind: 'email',
      to: ['a@example.test'],
      smtp: { host: '10.1.2.3', port: 25, secure: false },
    });
    expect([refused.status, refused.body.error.details]).toEqual([
      400,
      [{ field: 'smtp.host', problem: expect.any(String) }],
    ]);
  });

  it.each<[string, unknown, string]>([
    ['no kind', { name: 'x', url: 'https://example.com/h' }, 'kind'],
    ['an unknown kind', { name: 'x', kind: 'pager', url: 'https://example.com/h' }, 'kind'],
    ['an empty name', { name: '  ', kind: 'slack', url: 'https://example.com/h' }, 'name'],
    ['a 101-character name', { name: 'n'.repeat(101), kind: 'slack', url: 'https://example.com/h' }, 'name'],
    ['a non-https URL', { name: 'x', kind: 'slack', url: 'ftp://example.com/h' }, 'url'],
    [
      'a URL over 2,048 characters',
      { name: 'x', kind: 'slack', url: `https://example.com/${'a'.repeat(2100)}` },
      'url',
    ],
    ['a URL with a password', { name: 'x', kind: 'discord', url: 'https://u:p@example.com/h' }, 'url'],
    ['a URL that is an object', { name: 'x', kind: 'teams', url: { href: 'https://example.com' } }, 'url'],
    ['an email channel without recipients', { name: 'x', kind: 'email', to: [] }, 'to'],
    [
      '21 recipients',
      { name: 'x', kind: 'email', to: Array.from({ length: 21 }, (_, i) => `u${i}@example.test`) },
      'to',
    ],
    ['a malformed recipient', { name: 'x', kind: 'email', to: ['ok@example.test', 'a@b@c'] }, 'to[1]'],
    [
      'a header in a recipient',
      { name: 'x', kind: 'email', to: ['a@example.test\r\nBcc: x@evil.test'] },
      'to[0]',
    ],
    [
      'a URL on an email channel',
      { name: 'x', kind: 'email', to: ['a@example.test'], url: 'https://example.com' },
      'url',
    ],
    [
      'recipients on a Slack channel',
      { name: 'x', kind: 'slack', url: 'https://example.com/h', to: ['a@example.test'] },
      'to',
    ],
    [
      'an SMTP port out of range',
      {
        name: 'x',
        kind: 'email',
        to: ['a@example.test'],
        smtp: { host: 'smtp.example.com', port: 70000, secure: false },
      },
      'smtp.port',
    ],
    ['an unknown field', { name: 'x', kind: 'slack', url: 'https://example.com/h', colour: 'red' }, 'colour'],
  ])('refuses %s with a 400 naming the field', async (_label, body, field) => {
    const refused = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, body);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses a huge or deeply nested body without a 5xx', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 2000; i++) nested = { smtp: nested };
    const deep = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, {
      name: 'deep',
      kind: 'email',
      to: ['a@example.test'],
      smtp: nested,
    });
    expect(deep.status).toBe(400);
    const huge = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, {
      name: 'huge',
      kind: 'slack',
      url: `https://example.com/${'a'.repeat(2_000_000)}`,
    });
    expect([400, 413]).toContain(huge.status);
    expect((await api(owner, 'GET', `/orgs/${orgId}/notification-channels/not-a-uuid`)).status).toBe(400);
  });

  it('answers a duplicate name with 409, renames and retargets with PATCH, and deletes the secret with the channel', async () => {
    const { channel } = await createHttpChannel('slack');
    const duplicate = await api(owner, 'POST', `/orgs/${orgId}/notification-channels`, {
      name: channel.name,
      kind: 'slack',
      url: receivers.url('slack', 'dup'),
    });
    expect([duplicate.status, duplicate.body.error.code]).toEqual([409, 'CHANNEL_NAME_TAKEN']);

    const token = `moved-${randomUUID()}`;
    secrets.push(token);
    const renamed = await api(owner, 'PATCH', `/orgs/${orgId}/notification-channels/${channel.id}`, {
      name: `renamed ${channel.id}`,
      url: receivers.url('slack', token),
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(`renamed ${channel.id}`);
    const kindChange = await api(owner, 'PATCH', `/orgs/${orgId}/notification-channels/${channel.id}`, {
      kind: 'discord',
    });
    expect([kindChange.status, kindChange.body.error.details[0].field]).toEqual([400, 'kind']);
    const internal = await api(owner, 'PATCH', `/orgs/${orgId}/notification-channels/${channel.id}`, {
      url: 'https://10.0.0.1/x',
    });
    expect(internal.status).toBe(400);
    expect(
      (await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${channel.id}/test`)).body.delivered,
    ).toBe(true);
    expect(receivers.accepted(token)).toHaveLength(1);

    expect((await api(owner, 'DELETE', `/orgs/${orgId}/notification-channels/${channel.id}`)).status).toBe(
      204,
    );
    expect((await api(owner, 'GET', `/orgs/${orgId}/notification-channels/${channel.id}`)).status).toBe(404);
    const { rows } = await db.query(
      "select 1 from stored_secrets where kind = 'notification_channel' and owner_id = $1",
      [channel.id],
    );
    expect(rows).toEqual([]);
  });

  it('refuses to delete a channel a rule still sends to (409 CHANNEL_IN_USE), never a 500', async () => {
    const { channel } = await createHttpChannel('teams');
    // The rules API is another part of issue 18: the row is written as it would write it.
    await db.query(
      `insert into notification_rules (id, org_id, name, channel_id, events) values ($1, $2, $3, $4, '["finding.new"]')`,
      [randomUUID(), orgId, `rule ${randomUUID()}`, channel.id],
    );
    const refused = await api(owner, 'DELETE', `/orgs/${orgId}/notification-channels/${channel.id}`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'CHANNEL_IN_USE']);
    expect((await api(owner, 'GET', `/orgs/${orgId}/notification-channels/${channel.id}`)).status).toBe(200);
  });

  it('reports a receiver answering 503 or not answering as delivered: false with the status, not a 5xx', async () => {
    const { token, channel } = await createHttpChannel('discord');
    receivers.script(token, [{ status: 503, headers: { 'retry-after': '30' } }, { hang: true }]);
    const unavailable = await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${channel.id}/test`);
    expect(unavailable.status).toBe(200);
    expect(unavailable.body).toEqual({
      delivered: false,
      status_code: 503,
      error: expect.stringContaining('503'),
    });
    const silent = await api(owner, 'POST', `/orgs/${orgId}/notification-channels/${channel.id}/test`);
    expect(silent.status).toBe(200);
    expect(silent.body).toEqual({
      delivered: false,
      status_code: null,
      error: expect.stringContaining('did not answer'),
    });
    expect(JSON.stringify([unavailable.body, silent.body])).not.toContain(token);
  });

  it('audits every change and test, and no answer or audit row ever holds a URL credential or secret', async () => {
    const actions = (await auditRows()).map((r) => r.action);
    for (const action of ['created', 'updated', 'deleted', 'tested'])
      expect(actions).toContain(`notification_channel.${action}`);
    const audited = JSON.stringify(await auditRows());
    expect(secrets.length).toBeGreaterThan(5);
    expect(secrets.filter((s) => audited.includes(s) || answers.some((a) => a.includes(s)))).toEqual([]);
    expect(signingSecrets).toHaveLength(2);
    expect(
      signingSecrets.filter((s) => audited.includes(s) || answers.filter((a) => a.includes(s)).length !== 1),
    ).toEqual([]);
  });
});
