// Issue 18's acceptance, on the real stack: the API process (its dispatcher and schedule
// reconciler), the worker, Temporal, PostgreSQL, the GitHub stand-in, the advisory mirror and its
// sync, with the strict local receivers of every channel kind and a real SMTP server.
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SYNC_ADVISORIES_WORKFLOW,
  type SyncAdvisoriesInput,
  type SyncAdvisoriesResult,
} from '@repoguard/contract';
import type { OsvRecord } from '@repoguard/domain';
import { dropDatabase, prepareDatabase } from '@repoguard/infrastructure';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { freshDatabaseUrl } from '../support/fresh-database';
import { packageLockV3 } from '../support/manifest-fixtures';
import { waitFor } from '../support/notification-fixtures';
import {
  startNotificationReceivers,
  startSmtpReceiver,
  type HttpReceiverKind,
  type NotificationReceivers,
  type ReceivedRequest,
  type SmtpReceiver,
} from '../support/notification-receivers';

jest.setTimeout(240_000);

const run = randomUUID().slice(0, 8);
const pkg = (what: string) => `acc-${what}-${run}`;
const advisory = (what: string, severity: string, extra: Partial<OsvRecord> = {}): OsvRecord => ({
  id: `RG-ACC-${what.toUpperCase()}-${run}`,
  modified: '2026-01-01T00:00:00Z',
  summary: `${what} vulnerability in ${pkg(what)}`,
  database_specific: { severity },
  affected: [
    {
      package: { ecosystem: 'npm', name: pkg(what) },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
    },
  ],
  ...extra,
});
const FAIL_ADVISORY = advisory('fail', 'HIGH');
const SYNC_ADVISORY = advisory('sync', 'MODERATE');
const RETRY_ADVISORY = advisory('retry', 'HIGH');
const DIGEST_ADVISORY = advisory('digest', 'HIGH');
const EXPIRY_ADVISORY = advisory('expiry', 'HIGH');

interface Delivery {
  id: string;
  status: string;
  kind: string;
  channel_id: string;
  attempts: number;
  event_types: string[];
  idempotency_key: string;
  last_status_code: number | null;
}

describe('issue 18 acceptance: notifications end to end', () => {
  // A database of its own: the advisory sync re-matches every org's repositories.
  const databaseUrl = freshDatabaseUrl('e2e_notify_accept');
  let stack: ApiStack;
  let receivers: NotificationReceivers;
  let smtp: SmtpReceiver;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-notify-accept-'));
    await prepareDatabase(databaseUrl);
    receivers = await startNotificationReceivers();
    smtp = await startSmtpReceiver();
    stack = await startApiStack({
      name: 'notify-accept',
      databaseUrl,
      osvMode: 'mirror',
      advisories: [FAIL_ADVISORY, SYNC_ADVISORY, RETRY_ADVISORY, DIGEST_ADVISORY, EXPIRY_ADVISORY],
      encryptionKey: randomBytes(32).toString('base64'),
      smtpUrl: smtp.url,
      env: {
        // The receivers listen on the loopback over plain http: the operator opens both.
        NOTIFY_ALLOWED_HOSTS: '127.0.0.1',
        NOTIFY_ALLOW_HTTP: 'true',
        SMTP_FROM: 'RepoGuard <repoguard@example.test>',
        NOTIFY_DISPATCH_INTERVAL_MS: '200',
        NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS: '500',
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await receivers?.close();
    await smtp?.close();
    await dropDatabase(databaseUrl);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const api = async (token: string, method: string, p: string, body?: unknown) => {
    const response = await stack.call(token, method, `/api/v1${p}`, body);
    expect(response.status).toBeLessThan(500);
    return response;
  };

  /** An org with one repository on the GitHub stand-in whose lock file pins `packages`, connected through the API. */
  async function orgWithRepo(label: string, packages: Record<string, string>) {
    const org = await stack.createOrg(label);
    const repo = await stack.harness.github.createRepo(org.slug, 'api');
    await repo.commit({ 'package-lock.json': packageLockV3(packages) });
    const connected = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, {
      repo: `${org.slug}/api`,
    });
    expect(connected.status).toBe(201);
    return { ...org, repoId: connected.body.id as string, repoName: `${org.slug}/api` };
  }
  type Org = Awaited<ReturnType<typeof orgWithRepo>>;

  async function httpChannel(org: Org, kind: HttpReceiverKind) {
    const token = `${kind}-${randomUUID()}`;
    const created = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/notification-channels`, {
      name: `${kind} ${token}`,
      kind,
      url: receivers.url(kind, token),
    });
    expect(created.status).toBe(201);
    if (kind === 'webhook') receivers.setWebhookSecret(token, created.body.signing_secret);
    return { token, id: created.body.id as string };
  }

  async function emailChannel(org: Org, to: string) {
    const created = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/notification-channels`, {
      name: `email ${to}`,
      kind: 'email',
      to: [to],
    });
    expect(created.status).toBe(201);
    return { id: created.body.id as string };
  }

  async function rule(org: Org, channelId: string, body: Record<string, unknown>) {
    const created = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/notification-rules`, {
      name: `rule-${randomUUID().slice(0, 8)}`,
      channel_id: channelId,
      ...body,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function deliveries(org: Org): Promise<Delivery[]> {
    const listed = await api(
      org.ownerToken,
      'GET',
      `/orgs/${org.orgId}/notification-deliveries?per_page=100`,
    );
    expect(listed.status).toBe(200);
    return listed.body.items;
  }

  async function scan(org: Org, expected: string) {
    const done = await stack.scanToEnd(org.ownerToken, org.repoId);
    expect(done.status).toBe('COMPLETED');
    const repo = await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/repos/${org.repoId}`);
    expect(repo.body.status).toBe(expected);
    return done;
  }

  // Teams and Discord escape Markdown's punctuation (`acme\-web` in the text, doubled in JSON):
  // read a message as the service shows it.
  const asShown = (raw: string) => raw.replace(/\\\\/g, '');
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.envelope.to.includes(address));
  const webhookData = (r: ReceivedRequest) =>
    (r.body as { data: { events: { type: string; payload: Record<string, unknown> }[] } }).data;

  it('1. a scan that turns a repository FAIL sends one message per matching rule, in every format', async () => {
    const org = await orgWithRepo('accept-fail', { [pkg('fail')]: '1.0.0' });
    const kinds = ['slack', 'teams', 'discord', 'webhook'] as const;
    const matching = [];
    for (const kind of kinds) matching.push({ kind, ...(await httpChannel(org, kind)) });
    const mailbox = `security-${run}@example.test`;
    const email = await emailChannel(org, mailbox);
    const events = ['repo.status_changed', 'finding.new'];
    for (const channel of [...matching, email]) await rule(org, channel.id, { events });
    // Three that do not match: the finding is HIGH, the repository is another, or it is muted.
    const tooHigh = await httpChannel(org, 'slack');
    await rule(org, tooHigh.id, { events: ['finding.new'], min_severity: 'CRITICAL' });
    const otherRepos = await httpChannel(org, 'discord');
    await rule(org, otherRepos.id, { events, repositories: { kind: 'pattern', pattern: 'elsewhere/*' } });
    const muted = await httpChannel(org, 'teams');
    const mutedRule = await rule(org, muted.id, { events });
    const mute = await api(
      org.ownerToken,
      'PUT',
      `/orgs/${org.orgId}/notification-rules/${mutedRule}/mutes/${org.repoId}`,
      { until: new Date(Date.now() + 3600_000).toISOString() },
    );
    expect(mute.status).toBe(200);

    await scan(org, 'FAIL');

    const delivered = await waitFor('five delivered messages', async () => {
      const all = await deliveries(org);
      return all.length === 5 && all.every((d) => d.status === 'delivered') && all;
    });
    expect(delivered.map((d) => d.channel_id).sort()).toEqual(
      [...matching.map((c) => c.id), email.id].sort(),
    );
    for (const { kind, token } of matching) {
      expect(receivers.requests(token).map((r) => r.problems)).toEqual([[]]);
      expect(receivers.accepted(token)).toHaveLength(1);
      const raw = asShown(receivers.accepted(token)[0]!.raw);
      expect([kind, raw]).toEqual([kind, expect.stringContaining(org.repoName)]);
      expect(raw).toContain('FAIL');
      expect(raw).toContain(FAIL_ADVISORY.id);
    }
    const mails = mailsTo(mailbox);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.problems).toEqual([]);
    expect(mails[0]!.parsed.text).toContain(org.repoName);
    expect(mails[0]!.parsed.text).toContain('FAIL');
    expect(mails[0]!.parsed.text).toContain(FAIL_ADVISORY.id);
    for (const none of [tooHigh, otherRepos, muted]) expect(receivers.requests(none.token)).toEqual([]);
  });

  it('2. an advisory updated through the sync tells the affected org only: changed, changed, resolved', async () => {
    const affected = await orgWithRepo('accept-sync', { [pkg('sync')]: '1.0.0' });
    const bystander = await orgWithRepo('accept-bystander', { [`${pkg('clean')}`]: '1.0.0' });
    const hook = await httpChannel(affected, 'webhook');
    await rule(affected, hook.id, { events: ['finding.changed', 'finding.resolved'] });
    const theirs = await httpChannel(bystander, 'slack');
    await rule(bystander, theirs.id, { events: ['finding.new', 'finding.changed', 'finding.resolved'] });
    await scan(affected, 'WARN');
    await scan(bystander, 'OK');

    const sync = async (step: string, record: OsvRecord) => {
      const file = path.join(dir, `${step}.json`);
      fs.writeFileSync(file, JSON.stringify(record));
      const input: SyncAdvisoriesInput = {
        sources: [file],
        scanTaskQueue: stack.harness.taskQueue,
        rematchTaskQueue: stack.harness.rematchTaskQueue,
        scanTiming: { quietWindowMs: 1 },
      };
      const result = await stack.harness.temporal.client.workflow.execute<
        (i: SyncAdvisoriesInput) => Promise<SyncAdvisoriesResult>
      >(SYNC_ADVISORIES_WORKFLOW, {
        taskQueue: stack.harness.taskQueue,
        workflowId: `advisory-sync:${run}:${step}`,
        args: [input],
      });
      expect(result).toMatchObject({ phase: 'DONE', affectedRepos: 1 });
    };
    const told = async (count: number) =>
      waitFor(`${count} webhook messages`, async () => {
        const accepted = receivers.accepted(hook.token);
        return accepted.length >= count && accepted;
      });

    await sync('raised', {
      ...SYNC_ADVISORY,
      modified: '2026-02-01T00:00:00Z',
      database_specific: { severity: 'CRITICAL' },
    });
    await told(1);
    await sync('fixed', {
      ...SYNC_ADVISORY,
      modified: '2026-03-01T00:00:00Z',
      database_specific: { severity: 'CRITICAL' },
      affected: [
        {
          package: { ecosystem: 'npm', name: pkg('sync') },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }],
        },
      ],
    });
    await told(2);
    await sync('withdrawn', {
      ...SYNC_ADVISORY,
      modified: '2026-04-01T00:00:00Z',
      withdrawn: '2026-04-01T00:00:00Z',
    });
    const accepted = await told(3);

    const events = accepted.flatMap((r) => webhookData(r).events);
    expect(events.map((e) => e.type)).toEqual(['finding.changed', 'finding.changed', 'finding.resolved']);
    expect(events[0]!.payload).toMatchObject({
      changes: { severity: { from: 'MEDIUM', to: 'CRITICAL' } },
    });
    expect(events[1]!.payload).toMatchObject({
      changes: { fixed_versions: { from: [], to: ['1.0.1'] } },
    });
    expect(events[2]!.payload).toMatchObject({ reason: 'advisory_withdrawn' });
    expect(receivers.requests(hook.token).every((r) => r.problems.length === 0)).toBe(true);
    expect((await deliveries(affected)).map((d) => d.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
    // The other org heard nothing of it.
    expect(receivers.requests(theirs.token)).toEqual([]);
    expect(await deliveries(bystander)).toEqual([]);
  });

  it('3. a receiver that answers 503 for two minutes gets the message afterwards, exactly once', async () => {
    const org = await orgWithRepo('accept-retry', { [pkg('retry')]: '1.0.0' });
    const hook = await httpChannel(org, 'webhook');
    await rule(org, hook.id, { events: ['repo.status_changed', 'finding.new'] });
    receivers.answerUntil(hook.token, { status: 503 }, new Date(Date.now() + 120_000));
    await scan(org, 'FAIL');

    const [delivery] = await waitFor(
      'the delivery after the outage',
      async () => {
        const all = await deliveries(org);
        return all.length === 1 && all[0]!.status === 'delivered' && all;
      },
      200_000,
    );
    const requests = receivers.requests(hook.token);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.slice(0, -1).every((r) => r.status === 503)).toBe(true);
    expect(requests.every((r) => r.problems.length === 0)).toBe(true);
    // One message, however often it was tried: every attempt carried the same webhook-id.
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(
      new Set([delivery!.idempotency_key]),
    );
    expect(receivers.accepted(hook.token)).toHaveLength(1);
    expect(delivery).toMatchObject({ attempts: requests.length, last_status_code: 204 });
  });

  it('4. a digest with nothing new sends nothing; with something new, one digest', async () => {
    const org = await orgWithRepo('accept-digest', { [pkg('digest')]: '1.0.0' });
    const slack = await httpChannel(org, 'slack');
    const ruleId = await rule(org, slack.id, {
      events: ['finding.new'],
      mode: 'digest',
      digest: { frequency: 'daily', hour: 9, timezone: 'Europe/Berlin' },
    });
    // The API's reconciler gives the rule its Schedule; firing it is the UI's Trigger button.
    const schedule = stack.harness.temporal.client.schedule.getHandle(`notification-digest:${ruleId}`);
    await waitFor('the digest Schedule', () => schedule.describe().then(Boolean, () => false));
    const fire = async (runs: number) => {
      await schedule.trigger();
      const action = await waitFor(`digest run ${runs}`, async () => {
        const actions = (await schedule.describe()).info.recentActions;
        return actions.length >= runs && actions[runs - 1]!.action;
      });
      return stack.harness.temporal.client.workflow
        .getHandle(action.workflow.workflowId, action.workflow.firstExecutionRunId)
        .result();
    };

    expect(await fire(1)).toMatchObject({ outcome: 'nothing' });
    expect(await deliveries(org)).toEqual([]);
    expect(receivers.requests(slack.token)).toEqual([]);

    await scan(org, 'FAIL');
    // A digest covers events settled for a minute (a late commit lands in this digest or the next).
    const newest = await stack.harness.orm.em
      .fork()
      .getKnex()('notification_events')
      .where({ org_id: org.orgId })
      .max('occurred_at as at')
      .first<{ at: Date }>();
    await waitFor(
      'the events to settle',
      async () => Date.now() > new Date(newest!.at).getTime() + 62_000,
      90_000,
    );
    expect(await fire(2)).toMatchObject({ outcome: 'delivered', events: 1 });
    const [digest] = await deliveries(org);
    expect(digest).toMatchObject({ kind: 'digest', status: 'delivered', event_types: ['finding.new'] });
    expect(receivers.requests(slack.token).map((r) => r.problems)).toEqual([[]]);
    expect(asShown(receivers.accepted(slack.token)[0]!.raw)).toContain(DIGEST_ADVISORY.id);
  });

  it('5. an expiring ignore reopens the finding at its expiry, re-judges the repository and tells triage.expired', async () => {
    const org = await orgWithRepo('accept-expiry', { [pkg('expiry')]: '1.0.0' });
    const discord = await httpChannel(org, 'discord');
    await rule(org, discord.id, { events: ['triage.expired'] });
    await scan(org, 'FAIL');
    const findings = await api(org.ownerToken, 'GET', `/repos/${org.repoId}/findings`);
    expect(findings.body.items).toHaveLength(1);
    const findingId = findings.body.items[0].id as string;

    const expiresAt = new Date(Date.now() + 4_000);
    const ignored = await api(org.ownerToken, 'PATCH', `/findings/${findingId}`, {
      status: 'ignored',
      reason: 'waiting for the vendor',
      expires_at: expiresAt.toISOString(),
    });
    expect(ignored.status).toBe(200);
    const repoStatus = async () =>
      (await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/repos/${org.repoId}`)).body.status as string;
    expect(await repoStatus()).toBe('OK');

    // The API lists a lapsed ignore as open at once; the stored row and the repository's stored
    // status are what the expiry timer changes.
    const stored = async () =>
      (
        await stack.harness.orm.em
          .fork()
          .getKnex()('findings')
          .where({ id: findingId })
          .first<{ status: string }>('status')
      )?.status;
    await waitFor(
      'the finding reopened and the repository judged again',
      async () => (await stored()) === 'open' && (await repoStatus()) === 'FAIL',
      expiresAt.getTime() + 20_000 - Date.now(),
    );
    const [delivery] = await waitFor('the triage.expired message', async () => {
      const all = await deliveries(org);
      return all.length === 1 && all[0]!.status === 'delivered' && all;
    });
    expect(delivery!.event_types).toEqual(['triage.expired']);
    expect(receivers.requests(discord.token).map((r) => r.problems)).toEqual([[]]);
    expect(asShown(receivers.accepted(discord.token)[0]!.raw)).toContain(EXPIRY_ADVISORY.id);
  });
});
