// Digests and org rescans on the real Temporal dev server with the real activities and PostgreSQL;
// only the delivery workflow (another part of issue 18) is a stand-in that marks its row.
import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Worker } from '@temporalio/worker';
import { ReconcileNotificationSchedules } from '@repoguard/application';
import { createActivities } from '@repoguard/activities';
import {
  digestScheduleId,
  RESCAN_ORG_WORKFLOW,
  rescanScheduleId,
  SEND_DIGEST_WORKFLOW,
  type RescanOrgInput,
  type SendDigestInput,
} from '@repoguard/contract';
import {
  buildActivityDeps,
  createMikroOrmConfig,
  dropDatabase,
  MikroOrmNotificationDeliveryAttempts,
  MikroOrmUnitOfWork,
  PiscinaManifestParserPool,
  prepareDatabase,
  SqlDigestRuleDirectory,
  TemporalDigestScheduler,
  TemporalRescanScheduler,
} from '@repoguard/infrastructure';
import { freshDatabaseUrl } from '../../../test/support/fresh-database';
import {
  storedChannel,
  storedFindingEvent,
  storedOrg,
  storedRepos,
  storedRule,
  waitFor,
} from '../../../test/support/notification-fixtures';
import {
  startNotificationScheduleWorker,
  StandInDeliveries,
} from '../../../test/support/notification-schedule-worker';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../test/support/temporal-harness';
import type { SendDigestResult } from './send-digest.workflow';

describe('digests and org rescans on Temporal', () => {
  const databaseUrl = freshDatabaseUrl('digests');
  let orm: MikroORM;
  let temporal: TemporalHarness;
  let taskQueue: string;
  let deliveries: StandInDeliveries;
  let worker: { worker: Worker; running: Promise<void>; parserPool: PiscinaManifestParserPool };
  const scanWorkflows: string[] = [];

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 6 }));
    temporal = await createTemporalHarness();
    taskQueue = uniqueName('digests');
    deliveries = new StandInDeliveries(orm);
    worker = await startNotificationScheduleWorker(temporal, orm, taskQueue, deliveries);
  });
  afterAll(async () => {
    // The rescans' scan requests started repo-scan workflows this worker does not run: end them.
    await Promise.all(
      scanWorkflows.map((id) =>
        temporal.client.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => undefined),
      ),
    );
    await orm?.em.fork().getKnex().raw('delete from notification_rules; delete from rescan_schedules;');
    if (orm && temporal)
      await reconciler()
        .execute()
        .catch(() => undefined);
    worker?.worker.shutdown();
    await worker?.running;
    await worker?.parserPool.close();
    await temporal?.close();
    await orm?.close(true);
    await dropDatabase(databaseUrl);
  });

  const reconciler = () =>
    new ReconcileNotificationSchedules(
      new MikroOrmUnitOfWork(orm.em),
      new SqlDigestRuleDirectory(orm.em),
      new TemporalDigestScheduler(temporal.client, { taskQueue }),
      new TemporalRescanScheduler(temporal.client, { taskQueue }),
    );
  const knex = () => orm.em.fork().getKnex();
  const deliveriesOf = (ruleId: string) =>
    knex()('notification_deliveries')
      .whereRaw('rule_ids @> ?::jsonb', [JSON.stringify([ruleId])])
      .orderBy('created_at')
      .select('id', 'kind', 'status', 'group_key', 'event_ids');
  const watermarkOf = async (ruleId: string): Promise<Date | null> => {
    const { digest_watermark: at } = await knex()('notification_rules')
      .where({ id: ruleId })
      .first('digest_watermark');
    return at === null ? null : new Date(at);
  };
  const runDigest = (ruleId: string, name: string) =>
    temporal.client.workflow.execute<(input: SendDigestInput) => Promise<SendDigestResult>>(
      SEND_DIGEST_WORKFLOW,
      { taskQueue, workflowId: `${digestScheduleId(ruleId)}-${name}`, args: [{ ruleId }] },
    );

  async function digestRule(label: string) {
    const orgId = await storedOrg(orm, label);
    const ruleId = await storedRule(orm, orgId, await storedChannel(orm, orgId), { minSeverity: 'HIGH' });
    return { orgId, ruleId };
  }

  it('sends nothing when nothing is new: no delivery row, the delivery workflow never runs', async () => {
    const { orgId, ruleId } = await digestRule('digest-empty');
    // Below the rule's minimum severity: not selected.
    await storedFindingEvent(orm, orgId, 'LOW', 10);
    const before = deliveries.received.length;

    expect(await runDigest(ruleId, 'empty')).toMatchObject({ outcome: 'nothing' });
    expect(await deliveriesOf(ruleId)).toEqual([]);
    expect(deliveries.received.length).toBe(before);
  });

  it('sends the events since the watermark as one delivery, then nothing on a run right after', async () => {
    const { orgId, ruleId } = await digestRule('digest-once');
    const other = await digestRule('digest-other-org');
    const critical = await storedFindingEvent(orm, orgId, 'CRITICAL', 20);
    const high = await storedFindingEvent(orm, orgId, 'HIGH', 10);
    await storedFindingEvent(orm, orgId, 'LOW', 10);
    // Another org's event never reaches this org's digest.
    await storedFindingEvent(orm, other.orgId, 'CRITICAL', 10);

    const first = await runDigest(ruleId, 'first');
    expect(first).toMatchObject({ outcome: 'delivered', events: 2 });
    const rows = await deliveriesOf(ruleId);
    expect(rows).toEqual([
      {
        id: (first as { deliveryId: string }).deliveryId,
        kind: 'digest',
        status: 'delivered',
        group_key: `digest:${ruleId}:${first.periodEnd}`,
        event_ids: [critical, high],
      },
    ]);
    expect(deliveries.received).toContain(rows[0]!.id);
    expect((await watermarkOf(ruleId))?.toISOString()).toBe(first.periodEnd);

    expect(await runDigest(ruleId, 'second')).toMatchObject({ outcome: 'nothing' });
    expect(await deliveriesOf(ruleId)).toHaveLength(1);

    // An event after the watermark (and settled) is the next digest's, alone.
    await knex()('notification_rules')
      .where({ id: ruleId })
      .update({ digest_watermark: new Date(Date.now() - 5 * 60_000) });
    const later = await storedFindingEvent(orm, orgId, 'CRITICAL', 2);
    const third = await runDigest(ruleId, 'third');
    expect(third).toMatchObject({ outcome: 'delivered', events: 1 });
    expect((await deliveriesOf(ruleId)).at(-1)).toMatchObject({ event_ids: [later] });
  });

  it('leaves the watermark where it was when the retries ran out, and the next digest sends them again', async () => {
    const { orgId, ruleId } = await digestRule('digest-failed');
    const first = await storedFindingEvent(orm, orgId, 'CRITICAL', 30);
    deliveries.exhaust = true;
    try {
      expect(await runDigest(ruleId, 'exhausted')).toMatchObject({ outcome: 'not_delivered', events: 1 });
    } finally {
      deliveries.exhaust = false;
    }
    expect(await watermarkOf(ruleId)).toBeNull();
    expect(await deliveriesOf(ruleId)).toMatchObject([{ status: 'failed', event_ids: [first] }]);

    const second = await storedFindingEvent(orm, orgId, 'HIGH', 5);
    const resent = await runDigest(ruleId, 'resent');
    expect(resent).toMatchObject({ outcome: 'delivered', events: 2 });
    expect((await deliveriesOf(ruleId)).at(-1)).toMatchObject({
      status: 'delivered',
      event_ids: [first, second],
    });
    expect((await watermarkOf(ruleId))?.toISOString()).toBe(resent.periodEnd);
  });

  it('moves the watermark on past a digest the receiver refused for good, the log keeping the failure', async () => {
    const { orgId, ruleId } = await digestRule('digest-refused');
    const first = await storedFindingEvent(orm, orgId, 'CRITICAL', 30);
    deliveries.refuse = true;
    let refused: SendDigestResult;
    try {
      refused = await runDigest(ruleId, 'refused');
    } finally {
      deliveries.refuse = false;
    }
    expect(refused).toMatchObject({ outcome: 'not_delivered', events: 1 });
    expect((await watermarkOf(ruleId))?.toISOString()).toBe(refused.periodEnd);
    expect(await deliveriesOf(ruleId)).toMatchObject([{ status: 'failed', event_ids: [first] }]);
    // The next digest is not held by it: it carries only what came after.
    await knex()('notification_rules')
      .where({ id: ruleId })
      .update({ digest_watermark: new Date(Date.now() - 5 * 60_000) });
    const later = await storedFindingEvent(orm, orgId, 'HIGH', 2);
    expect(await runDigest(ruleId, 'after-refusal')).toMatchObject({ outcome: 'delivered', events: 1 });
    expect((await deliveriesOf(ruleId)).at(-1)).toMatchObject({ status: 'delivered', event_ids: [later] });
  });

  it('names at most 10,000 events in a digest row and counts the rest for the message', async () => {
    const { orgId, ruleId } = await digestRule('digest-huge');
    const occurredAt = new Date(Date.now() - 10 * 60_000);
    const rows = Array.from({ length: 10_005 }, () => ({
      id: randomUUID(),
      org_id: orgId,
      repo_id: null,
      repo_name: 'acme/api',
      type: 'finding.new',
      severity: 'HIGH',
      group_key: `scan-${randomUUID()}`,
      payload: JSON.stringify({}),
      occurred_at: occurredAt,
    }));
    await knex().batchInsert('notification_events', rows, 2_000);

    const result = await runDigest(ruleId, 'huge');

    expect(result).toMatchObject({ outcome: 'delivered', events: 10_005 });
    const [row] = await knex()('notification_deliveries').where({
      id: (result as { deliveryId: string }).deliveryId,
    });
    expect(row.event_ids).toHaveLength(10_000);
    expect(row.event_total).toBe(10_005);
    const loaded = await new MikroOrmNotificationDeliveryAttempts(orm.em.fork()).load(row.id);
    expect(loaded?.events).toHaveLength(10_000);
    expect(loaded?.eventCount).toBe(10_005);
  });

  it("runs the digest when the rule's Schedule fires", async () => {
    const { orgId, ruleId } = await digestRule('digest-scheduled');
    const event = await storedFindingEvent(orm, orgId, 'CRITICAL', 10);
    expect(await reconciler().execute()).toMatchObject({ failed: [] });

    await temporal.client.schedule.getHandle(digestScheduleId(ruleId)).trigger();
    const [row] = await waitFor('the scheduled digest delivered', async () => {
      const rows = await deliveriesOf(ruleId);
      return rows[0]?.status === 'delivered' ? rows : null;
    });
    expect(row).toMatchObject({ kind: 'digest', event_ids: [event] });
    await waitFor('the watermark moved', () => watermarkOf(ruleId));
  });

  it("requests a scan of each of the org's repositories when its rescan Schedule fires, and none of another org's", async () => {
    const orgId = await storedOrg(orm, 'rescan-org');
    const otherId = await storedOrg(orm, 'rescan-other');
    const repos = await storedRepos(orm, orgId, 3);
    const others = await storedRepos(orm, otherId, 2);
    scanWorkflows.push(...[...repos, ...others].map((id) => `repo-scan:${id}`));
    // A disabled repository is not scanned.
    const [disabled] = await storedRepos(orm, orgId, 1);
    await knex()('repositories')
      .where({ id: disabled })
      .update({ disabled_at: new Date(), disabled_reason: 'test' });

    const uow = new MikroOrmUnitOfWork(orm.em);
    await uow.transaction('system', ({ rescanSchedules }) =>
      rescanSchedules.put(orgId, { frequency: 'daily', hour: 3, timezone: 'UTC' }, 'test'),
    );
    expect(await reconciler().execute()).toMatchObject({ failed: [] });
    await temporal.client.schedule.getHandle(rescanScheduleId(orgId)).trigger();

    const requested = await waitFor('three scan requests', async () => {
      const rows = await knex()('scan_request_outbox').where({ org_id: orgId }).select('repo_id', 'request');
      return rows.length >= 3 ? rows : null;
    });
    expect(requested.map((r: { repo_id: string }) => r.repo_id).sort()).toEqual([...repos].sort());
    expect(requested[0].request.details).toMatchObject({ trigger: 'schedule' });
    expect(await knex()('scan_request_outbox').where({ org_id: otherId })).toEqual([]);
    const audited = await knex()('audit_logs').where({ org_id: orgId, action: 'scan.requested' }).count();
    expect(Number(audited[0]!.count)).toBe(3);
  });

  it('asks once per repository per run, however often a page is retried', async () => {
    const orgId = await storedOrg(orm, 'rescan-retry');
    const repos = await storedRepos(orm, orgId, 5);
    scanWorkflows.push(...repos.map((id) => `repo-scan:${id}`));
    const parserPool = new PiscinaManifestParserPool({ threads: 1, deadlineMs: 30_000 });
    try {
      const { requestRescanPage: page } = createActivities(
        buildActivityDeps(orm.em, {
          workerIdentity: 'rescan-retry',
          githubApiUrl: 'http://127.0.0.1:9',
          osvApiUrl: 'http://127.0.0.1:9',
          timeoutMs: 1_000,
          parserPool,
        }),
      );
      const input = { orgId, runKey: `org-rescan:${orgId}@run-1`, afterRepoId: null, limit: 2 };
      // Outside Temporal the requests wait in the outbox (the API's relay sends them): what
      // counts here is that a retried page writes none twice.
      const first = await page(input);
      const retried = await page(input);
      expect(first).toEqual({ requested: 2, nextAfter: [...repos].sort()[1] });
      expect(retried).toEqual(first);
      let after = first.nextAfter;
      while (after !== null) after = (await page({ ...input, afterRepoId: after })).nextAfter;
      const rows = await knex()('scan_request_outbox').where({ org_id: orgId }).select('repo_id');
      expect(rows.map((r: { repo_id: string }) => r.repo_id).sort()).toEqual([...repos].sort());
      // Another run asks again.
      await page({ ...input, runKey: `org-rescan:${orgId}@run-2`, limit: 10 });
      expect(await knex()('scan_request_outbox').where({ org_id: orgId })).toHaveLength(10);
    } finally {
      await parserPool.close();
    }
  });

  it('rescans an org with more repositories than a page, each once', async () => {
    const orgId = await storedOrg(orm, 'rescan-pages');
    const repos = await storedRepos(orm, orgId, 120);
    scanWorkflows.push(...repos.map((id) => `repo-scan:${id}`));
    const result = await temporal.client.workflow.execute<
      (input: RescanOrgInput) => Promise<{ requested: number }>
    >(RESCAN_ORG_WORKFLOW, { taskQueue, workflowId: `${rescanScheduleId(orgId)}-direct`, args: [{ orgId }] });
    expect(result).toEqual({ requested: 120 });
    const rows = await knex()('scan_request_outbox').where({ org_id: orgId }).select('repo_id');
    expect(new Set(rows.map((r: { repo_id: string }) => r.repo_id)).size).toBe(120);
    expect(rows).toHaveLength(120);
  });
});
