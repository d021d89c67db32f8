import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Worker } from '@temporalio/worker';
import type { Activities } from '@repoguard/activities';
import { createGiveUpNotificationDeliveryActivity } from '../../activities/src/notifications/give-up-notification-delivery.activity';
import { createSendNotificationActivity } from '../../activities/src/notifications/send-notification.activity';
import {
  DELIVER_NOTIFICATION_WORKFLOW,
  deliverNotificationWorkflowId,
  type DeliverNotificationInput,
  type DeliverNotificationResult,
} from '@repoguard/contract';
import type {
  NotificationChannel,
  NotificationChannelDirectory,
  NotificationMessage,
  NotificationSender,
  SendOutcome,
} from '@repoguard/domain';
import {
  createMikroOrmConfig,
  MikroOrmNotificationDeliveryAttempts,
  TemporalNotificationDeliveryStarter,
} from '@repoguard/infrastructure';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../test/support/temporal-harness';

/** A receiver stand-in: answers from a script, records every attempt with the time the double saw it. */
class RecordingSender implements NotificationSender {
  readonly attempts: { key: string; title: string; at: number }[] = [];
  constructor(private readonly script: (attempt: number) => SendOutcome) {}
  async send(
    _channel: NotificationChannel,
    _secret: unknown,
    message: NotificationMessage,
  ): Promise<SendOutcome> {
    this.attempts.push({ key: message.idempotency_key, title: message.title, at: Date.now() });
    return this.script(this.attempts.length);
  }
}

const unavailable: SendOutcome = {
  delivered: false,
  retryable: true,
  status_code: 503,
  error: 'HTTP 503 Service Unavailable',
};
const ok: SendOutcome = { delivered: true, status_code: 200 };

// The delivery workflow on the Temporal dev server with its real activities on PostgreSQL; only
// the receiver is a double.
describe('deliverNotificationWorkflow', () => {
  let orm: MikroORM;
  let temporal: TemporalHarness;
  const db = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 5 }),
    );
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
    await orm?.close(true);
  });

  async function delivery(options: { channelGone?: boolean } = {}) {
    const orgId = randomUUID();
    await db()('organizations').insert({ id: orgId, name: 'Acme', slug: `acme-${orgId.slice(0, 12)}` });
    const channelId = randomUUID();
    await db()('notification_channels').insert({
      id: channelId,
      org_id: orgId,
      name: 'sec',
      kind: 'slack',
      summary: '{}',
    });
    const eventIds = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of eventIds) {
      await db()('notification_events').insert({
        id,
        org_id: orgId,
        repo_id: null,
        repo_name: 'acme/api',
        type: 'finding.new',
        severity: 'HIGH',
        group_key: 'scan-x',
        payload: JSON.stringify({ finding: { vulnerability_id: 'GHSA-1' } }),
      });
    }
    const id = randomUUID();
    await db()('notification_deliveries').insert({
      id,
      org_id: orgId,
      channel_id: options.channelGone ? null : channelId,
      channel_kind: 'slack',
      channel_name: 'sec',
      rule_ids: JSON.stringify([]),
      kind: 'immediate',
      group_key: `scan-x:${id}`,
      event_ids: JSON.stringify(eventIds),
    });
    return id;
  }

  const row = (id: string) => db()('notification_deliveries').where({ id }).first();

  const directory: NotificationChannelDirectory = {
    open: async (id) => ({
      channel: { id, org_id: 'o', name: 'sec', kind: 'slack', summary: {} },
      secret: { kind: 'slack', url: 'https://hooks.slack.test/x' },
    }),
  };

  async function worker(sender: NotificationSender): Promise<{ worker: Worker; taskQueue: string }> {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'deliver');
    const deps = {
      notificationAttempts: new MikroOrmNotificationDeliveryAttempts(orm.em.fork()),
      notificationChannels: directory,
      notificationSender: sender,
      notificationLinkBaseUrl: 'https://repoguard.test',
      now: () => new Date(),
    };
    const activities: Pick<Activities, 'sendNotification' | 'giveUpNotificationDelivery'> = {
      sendNotification: createSendNotificationActivity(deps),
      giveUpNotificationDelivery: createGiveUpNotificationDeliveryActivity(deps),
    };
    return { worker: await temporal.createWorker({ taskQueue, activities }), taskQueue };
  }

  const fastRetry = { initialIntervalMs: 100, maximumIntervalMs: 400, giveUpAfterMs: 60_000 };

  function run(
    w: { worker: Worker; taskQueue: string },
    deliveryId: string,
    retry: DeliverNotificationInput['retry'] = fastRetry,
  ): Promise<DeliverNotificationResult> {
    return w.worker.runUntil(
      temporal.client.workflow.execute(DELIVER_NOTIFICATION_WORKFLOW, {
        taskQueue: w.taskQueue,
        workflowId: `${deliverNotificationWorkflowId(deliveryId)}:${randomUUID()}`,
        args: [{ deliveryId, retry } satisfies DeliverNotificationInput],
      }),
    );
  }

  it('delivers once after the receiver answered 503 for a while, every attempt counted', async () => {
    const id = await delivery();
    const sender = new RecordingSender((n) => (n <= 3 ? unavailable : ok));

    expect(await run(await worker(sender), id)).toEqual({ status: 'delivered' });

    expect(sender.attempts.filter((a) => a.key === `rg-delivery-${id}`)).toHaveLength(4);
    expect(sender.attempts[0]!.title).toBe('3 new vulnerabilities in acme/api');
    expect(await row(id)).toMatchObject({
      status: 'delivered',
      attempts: 4,
      last_status_code: 200,
      last_error: null,
    });
    expect((await row(id)).delivered_at).not.toBeNull();
  });

  it("waits as long as a 429's Retry-After asks before the next attempt", async () => {
    const id = await delivery();
    const sender = new RecordingSender((n) =>
      n === 1
        ? { delivered: false, retryable: true, status_code: 429, error: 'HTTP 429', retry_after_ms: 1_500 }
        : ok,
    );

    expect(await run(await worker(sender), id)).toEqual({ status: 'delivered' });

    expect(sender.attempts).toHaveLength(2);
    // The retry policy alone would have come back after 100 ms.
    expect(sender.attempts[1]!.at - sender.attempts[0]!.at).toBeGreaterThanOrEqual(1_500);
    expect(await row(id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('stops at a final refusal: failed, with the status code, after one attempt', async () => {
    const id = await delivery();
    const sender = new RecordingSender(() => ({
      delivered: false,
      retryable: false,
      status_code: 404,
      error: 'HTTP 404: no such webhook',
    }));

    expect(await run(await worker(sender), id)).toEqual({ status: 'failed' });

    expect(sender.attempts).toHaveLength(1);
    expect(await row(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_status_code: 404,
      last_error: 'HTTP 404: no such webhook',
    });
  });

  it('ends failed, with the last answer, when the retries run out', async () => {
    const id = await delivery();
    const sender = new RecordingSender(() => unavailable);

    expect(
      await run(await worker(sender), id, {
        initialIntervalMs: 200,
        maximumIntervalMs: 200,
        giveUpAfterMs: 1_500,
      }),
    ).toEqual({ status: 'failed' });

    const ended = await row(id);
    expect(ended.status).toBe('failed');
    expect(ended.attempts).toBe(sender.attempts.length);
    expect(ended.attempts).toBeGreaterThan(1);
    expect(ended.last_error).toMatch(/^Gave up after retries .*: HTTP 503 Service Unavailable$/);
  });

  it('skips a delivery whose channel is gone', async () => {
    const id = await delivery({ channelGone: true });
    const sender = new RecordingSender(() => ok);

    expect(await run(await worker(sender), id)).toEqual({ status: 'skipped' });
    expect(sender.attempts).toHaveLength(0);
    expect(await row(id)).toMatchObject({ status: 'skipped' });
  });

  it('skips, sending nothing, a delivery whose events were all deleted (their repository disconnected)', async () => {
    const id = await delivery();
    const { event_ids } = await row(id);
    await db()('notification_events').whereIn('id', event_ids).delete();
    const sender = new RecordingSender(() => ok);

    expect(await run(await worker(sender), id)).toEqual({ status: 'skipped' });
    expect(sender.attempts).toHaveLength(0);
    expect(await row(id)).toMatchObject({ status: 'skipped' });
  });

  it('sends the events still stored when some were deleted', async () => {
    const id = await delivery();
    const { event_ids } = await row(id);
    await db()('notification_events').where({ id: event_ids[0] }).delete();
    const sender = new RecordingSender(() => ok);

    expect(await run(await worker(sender), id)).toEqual({ status: 'delivered' });
    expect(sender.attempts.map((a) => a.title)).toEqual(['2 new vulnerabilities in acme/api']);
  });

  it('keeps a huge refusal short in the log and in Temporal', async () => {
    const id = await delivery();
    const error = `HTTP 400: ${'z'.repeat(200_000)}`;
    const sender = new RecordingSender(() => ({
      delivered: false,
      retryable: false,
      status_code: 400,
      error,
    }));
    const w = await worker(sender);
    const workflowId = `${deliverNotificationWorkflowId(id)}:${randomUUID()}`;

    const result = await w.worker.runUntil(
      temporal.client.workflow.execute(DELIVER_NOTIFICATION_WORKFLOW, {
        taskQueue: w.taskQueue,
        workflowId,
        args: [{ deliveryId: id, retry: fastRetry } satisfies DeliverNotificationInput],
      }),
    );

    expect(result).toEqual({ status: 'failed' });
    expect((await row(id)).last_error.length).toBeLessThanOrEqual(500);
    const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
    const failures = (history.events ?? []).flatMap((e) =>
      e.activityTaskFailedEventAttributes?.failure ? [e.activityTaskFailedEventAttributes.failure] : [],
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message!.length).toBeLessThanOrEqual(500);
  });

  it('sends once however often the delivery is started', async () => {
    const id = await delivery();
    const sender = new RecordingSender(() => ok);
    const w = await worker(sender);
    const starter = new TemporalNotificationDeliveryStarter(temporal.client, w.taskQueue);

    await w.worker.runUntil(async () => {
      await starter.start(id);
      await starter.start(id);
      await temporal.client.workflow.getHandle(deliverNotificationWorkflowId(id)).result();
      // Started again after it closed: the id is never reused.
      await starter.start(id);
    });
    // Even a run under another id finds the row delivered (a retry after a lost completion).
    expect(await run(await worker(sender), id)).toEqual({ status: 'delivered' });

    expect(sender.attempts).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});
