// Notification rules and the delivery log through the real API, and the path from a recorded
// event to a delivered message through the API's dispatcher, Temporal and the worker. The
// channels' senders come with their own branch: here the worker's sender is a recording double.
import { randomUUID } from 'node:crypto';
import type { NotificationMessage, NotificationSender, SendOutcome } from '@repoguard/domain';
import { createGiveUpNotificationDeliveryActivity } from '../../libs/activities/src/notifications/give-up-notification-delivery.activity';
import { createSendNotificationActivity } from '../../libs/activities/src/notifications/send-notification.activity';
import { MikroOrmNotificationDeliveryAttempts } from '@repoguard/infrastructure';
import { startApiStack, type ApiStack } from '../support/api-stack';

const V1 = '/api/v1';

describe('notification rules and deliveries', () => {
  let stack: ApiStack;
  const sent: NotificationMessage[] = [];
  const sender: NotificationSender = {
    async send(_channel, _secret, message): Promise<SendOutcome> {
      sent.push(message);
      return { delivered: true, status_code: 200 };
    },
  };

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'notification-rules',
      env: { NOTIFY_DISPATCH_INTERVAL_MS: '100' },
    });
    const deps = {
      notificationAttempts: new MikroOrmNotificationDeliveryAttempts(stack.harness.orm.em.fork()),
      notificationChannels: {
        open: async (id: string) => ({
          channel: { id, org_id: '', name: 'sec', kind: 'slack' as const, summary: {} },
          secret: { kind: 'slack' as const, url: 'https://hooks.slack.test/x' },
        }),
      },
      notificationSender: sender,
      notificationLinkBaseUrl: 'https://repoguard.test',
      now: () => new Date(),
    };
    await stack.harness.stopWorker();
    await stack.harness.startWorker({
      sendNotification: createSendNotificationActivity(deps),
      giveUpNotificationDelivery: createGiveUpNotificationDeliveryActivity(deps),
    });
  });
  afterAll(async () => stack?.close());

  const db = () => stack.harness.orm.em.getKnex();
  const api = (token: string | null, method: string, path: string, body?: unknown) =>
    stack.call(token, method, `${V1}${path}`, body);

  async function orgWithChannel(label: string) {
    const org = await stack.createOrg(label);
    const channelId = randomUUID();
    await db()('notification_channels').insert({
      id: channelId,
      org_id: org.orgId,
      name: 'security',
      kind: 'slack',
      summary: JSON.stringify({ host: 'hooks.slack.test' }),
    });
    const repoId = randomUUID();
    await db()('repositories').insert({
      id: repoId,
      org_id: org.orgId,
      owner: org.slug,
      name: 'api',
      default_branch: 'main',
    });
    return { ...org, channelId, repoId };
  }

  async function key(org: { orgId: string; ownerToken: string }, role: 'admin' | 'viewer') {
    const { status, body } = await api(org.ownerToken, 'POST', '/auth/api-keys', {
      org_id: org.orgId,
      name: `${role}-${randomUUID().slice(0, 6)}`,
      role,
    });
    expect(status).toBe(201);
    return body.key as string;
  }

  it('creates, reads, changes, mutes and deletes a rule, every change audited', async () => {
    const org = await orgWithChannel('rules-crud');
    const admin = await key(org, 'admin');
    const created = await api(admin, 'POST', `/orgs/${org.orgId}/notification-rules`, {
      name: 'criticals',
      channel_id: org.channelId,
      events: ['finding.new', 'repo.status_changed'],
      min_severity: 'HIGH',
      repositories: { kind: 'list', repo_ids: [org.repoId] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'criticals',
      channel_id: org.channelId,
      events: ['finding.new', 'repo.status_changed'],
      min_severity: 'HIGH',
      repositories: { kind: 'list', repo_ids: [org.repoId] },
      mode: 'immediate',
      digest: null,
      enabled: true,
      mutes: [],
    });
    const rule = `/orgs/${org.orgId}/notification-rules/${created.body.id}`;

    const disabled = await api(admin, 'PATCH', rule, { enabled: false });
    expect([disabled.status, disabled.body.enabled]).toEqual([200, false]);
    const digest = await api(admin, 'PATCH', rule, {
      mode: 'digest',
      digest: { frequency: 'weekly', hour: 9, timezone: 'Europe/Berlin', weekday: 1 },
    });
    expect(digest.status).toBe(200);
    expect(digest.body.digest).toEqual({
      frequency: 'weekly',
      hour: 9,
      timezone: 'Europe/Berlin',
      weekday: 1,
    });

    const until = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const muted = await api(admin, 'PUT', `${rule}/mutes/${org.repoId}`, { until });
    expect(muted.status).toBe(200);
    expect(muted.body.mutes).toEqual([expect.objectContaining({ repo_id: org.repoId, until, active: true })]);
    expect((await api(admin, 'GET', rule)).body.mutes).toHaveLength(1);
    expect((await api(admin, 'DELETE', `${rule}/mutes/${org.repoId}`)).status).toBe(204);
    expect((await api(admin, 'GET', rule)).body.mutes).toEqual([]);

    const list = await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/notification-rules`);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    expect((await api(admin, 'DELETE', rule)).status).toBe(204);
    expect((await api(admin, 'GET', rule)).status).toBe(404);

    const audit = await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/audit-logs?per_page=100`);
    const actions = audit.body.items
      .filter((row: { target_id: string }) => row.target_id === created.body.id)
      .map((row: { action: string }) => row.action)
      .sort();
    expect(actions).toEqual([
      'notification_rule.created',
      'notification_rule.deleted',
      'notification_rule.muted',
      'notification_rule.unmuted',
      'notification_rule.updated',
      'notification_rule.updated',
    ]);
  });

  it('answers hostile input with a 400 naming each field, never a 5xx', async () => {
    const org = await orgWithChannel('rules-hostile');
    const rules = `/orgs/${org.orgId}/notification-rules`;
    const bad = await api(org.ownerToken, 'POST', rules, {
      name: '',
      channel_id: 'x',
      events: ['finding.new', 'nope'],
      repositories: { kind: 'pattern', pattern: 'a'.repeat(201) },
      mode: 'digest',
      digest: { frequency: 'daily', hour: 25, timezone: 'Not/AZone' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REQUEST_INVALID');
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(
      ['channel_id', 'digest.hour', 'digest.timezone', 'events[1]', 'name', 'repositories.pattern'].sort(),
    );
    const missingDigest = await api(org.ownerToken, 'POST', rules, {
      name: 'digest',
      channel_id: org.channelId,
      events: ['finding.new'],
      mode: 'digest',
    });
    expect([missingDigest.status, missingDigest.body.error.details]).toEqual([
      400,
      [{ field: 'digest', problem: 'is required when mode is digest' }],
    ]);
    const nested = { kind: 'list', repo_ids: [{ a: [{ b: [] }] }] };
    const deep = await api(org.ownerToken, 'POST', rules, {
      name: 'deep',
      channel_id: org.channelId,
      events: ['finding.new'],
      repositories: nested,
    });
    expect([deep.status, deep.body.error.details]).toEqual([
      400,
      [{ field: 'repositories.repo_ids[0]', problem: 'must be a UUID' }],
    ]);
    const huge = await api(org.ownerToken, 'POST', rules, {
      name: 'huge',
      channel_id: org.channelId,
      events: ['finding.new'],
      repositories: { kind: 'list', repo_ids: Array.from({ length: 501 }, () => randomUUID()) },
    });
    expect(huge.status).toBe(400);
    expect((await api(org.ownerToken, 'POST', rules, 'not json')).status).toBe(400);
    expect((await api(org.ownerToken, 'GET', `${rules}/not-a-uuid`)).status).toBe(400);

    const rule = await api(org.ownerToken, 'POST', rules, {
      name: 'ok',
      channel_id: org.channelId,
      events: ['finding.new'],
    });
    expect(rule.status).toBe(201);
    const taken = await api(org.ownerToken, 'POST', rules, {
      name: 'ok',
      channel_id: org.channelId,
      events: ['scan.failed'],
    });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'NOTIFICATION_RULE_NAME_TAKEN']);
    for (const until of ['yesterday', new Date(Date.now() - 1000).toISOString(), '2099-01-01T00:00:00Z']) {
      const mute = await api(org.ownerToken, 'PUT', `${rules}/${rule.body.id}/mutes/${org.repoId}`, {
        until,
      });
      expect([mute.status, mute.body.error.details[0].field]).toEqual([400, 'until']);
    }
  });

  it("keeps orgs apart: another org's rule, channel or repository is not found; a viewer may not", async () => {
    const mine = await orgWithChannel('rules-mine');
    const theirs = await orgWithChannel('rules-theirs');
    const theirRule = await api(theirs.ownerToken, 'POST', `/orgs/${theirs.orgId}/notification-rules`, {
      name: 'theirs',
      channel_id: theirs.channelId,
      events: ['finding.new'],
    });
    expect(theirRule.status).toBe(201);
    const mineRules = `/orgs/${mine.orgId}/notification-rules`;

    const foreignChannel = await api(mine.ownerToken, 'POST', mineRules, {
      name: 'x',
      channel_id: theirs.channelId,
      events: ['finding.new'],
    });
    expect([foreignChannel.status, foreignChannel.body.error.details]).toEqual([
      404,
      [{ field: 'channel_id', problem: "is not one of the org's notification channels" }],
    ]);
    const foreignRepo = await api(mine.ownerToken, 'POST', mineRules, {
      name: 'x',
      channel_id: mine.channelId,
      events: ['finding.new'],
      repositories: { kind: 'list', repo_ids: [theirs.repoId] },
    });
    expect([foreignRepo.status, foreignRepo.body.error.code]).toEqual([404, 'REPO_NOT_FOUND']);
    // Their rule under my org's path, and my token on their org's path.
    expect((await api(mine.ownerToken, 'GET', `${mineRules}/${theirRule.body.id}`)).status).toBe(404);
    expect(
      (await api(mine.ownerToken, 'PATCH', `${mineRules}/${theirRule.body.id}`, { enabled: false })).status,
    ).toBe(404);
    expect((await api(mine.ownerToken, 'DELETE', `${mineRules}/${theirRule.body.id}`)).status).toBe(404);
    expect((await api(mine.ownerToken, 'GET', `/orgs/${theirs.orgId}/notification-rules`)).status).toBe(404);
    expect((await api(mine.ownerToken, 'GET', `/orgs/${theirs.orgId}/notification-deliveries`)).status).toBe(
      404,
    );
    const mineRule = await api(mine.ownerToken, 'POST', mineRules, {
      name: 'mine',
      channel_id: mine.channelId,
      events: ['finding.new'],
    });
    const foreignMute = await api(
      mine.ownerToken,
      'PUT',
      `${mineRules}/${mineRule.body.id}/mutes/${theirs.repoId}`,
      {
        until: new Date(Date.now() + 3_600_000).toISOString(),
      },
    );
    expect([foreignMute.status, foreignMute.body.error.code]).toEqual([404, 'REPO_NOT_FOUND']);
    expect(
      (await api(theirs.ownerToken, 'GET', `/orgs/${theirs.orgId}/notification-rules`)).body.items,
    ).toHaveLength(1);

    const viewer = await key(mine, 'viewer');
    expect((await api(viewer, 'GET', mineRules)).status).toBe(403);
    expect(
      (
        await api(viewer, 'POST', mineRules, {
          name: 'v',
          channel_id: mine.channelId,
          events: ['scan.failed'],
        })
      ).status,
    ).toBe(403);
    expect((await api(viewer, 'GET', `/orgs/${mine.orgId}/notification-deliveries`)).status).toBe(403);
  });

  it('turns one scan’s recorded events into one delivered message per channel, readable in the delivery log', async () => {
    const org = await orgWithChannel('rules-dispatch');
    const rule = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/notification-rules`, {
      name: 'everything',
      channel_id: org.channelId,
      events: ['finding.new', 'repo.status_changed'],
    });
    expect(rule.status).toBe(201);
    // Written as the producers will write them: in one transaction with the scan's outcome.
    const group = `scan:${randomUUID()}`;
    const event = (type: string, severity: string | null, payload: object) => ({
      id: randomUUID(),
      org_id: org.orgId,
      repo_id: org.repoId,
      repo_name: `${org.slug}/api`,
      type,
      severity,
      group_key: group,
      payload: JSON.stringify(payload),
    });
    await db()('notification_events').insert([
      ...Array.from({ length: 25 }, (_, i) =>
        event('finding.new', i === 0 ? 'CRITICAL' : 'MEDIUM', {
          finding: { finding_id: `f${i}`, vulnerability_id: `GHSA-${i}` },
        }),
      ),
      event('repo.status_changed', null, {
        old_status: 'OK',
        new_status: 'FAIL',
        reasons: [],
        cause: 'scan',
      }),
    ]);

    const log = `/orgs/${org.orgId}/notification-deliveries`;
    let page = await api(org.ownerToken, 'GET', log);
    for (let i = 0; i < 150 && page.body.items?.[0]?.status !== 'delivered'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      page = await api(org.ownerToken, 'GET', log);
    }
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(1);
    const [delivery] = page.body.items;
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 1,
      channel_id: org.channelId,
      channel_kind: 'slack',
      channel_name: 'security',
      rule_ids: [rule.body.id],
      event_count: 26,
      event_types: ['finding.new', 'repo.status_changed'],
      last_status_code: 200,
      idempotency_key: `rg-delivery-${delivery.id}`,
    });
    const messages = sent.filter((m) => m.idempotency_key === delivery.idempotency_key);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      title: `${org.slug}/api is now FAIL (and 25 more events)`,
      severity: 'CRITICAL',
      link: `https://repoguard.test/api/v1/repos/${org.repoId}/findings`,
    });

    const one = await api(org.ownerToken, 'GET', `${log}/${delivery.id}`);
    expect(one.body).toEqual(delivery);
    const filtered = async (query: string) =>
      (await api(org.ownerToken, 'GET', `${log}?${query}`)).body.total;
    expect(await filtered(`status=delivered&rule_id=${rule.body.id}&channel_id=${org.channelId}`)).toBe(1);
    expect(await filtered('status=failed')).toBe(0);
    expect(await filtered(`rule_id=${randomUUID()}`)).toBe(0);
    expect((await api(org.ownerToken, 'GET', `${log}?status=lost`)).status).toBe(400);
    expect((await api(org.ownerToken, 'GET', `${log}/${randomUUID()}`)).status).toBe(404);
  });
});
