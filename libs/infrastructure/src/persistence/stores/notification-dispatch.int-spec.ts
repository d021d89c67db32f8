import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { DispatchNotificationEvents } from '@repoguard/application';
import {
  SYSTEM_CLOCK,
  type NotificationDeliveryStarter,
  type NotificationEventType,
} from '@repoguard/domain';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmUnitOfWork } from './mikro-orm-unit-of-work';

// The dispatcher on the real database: one delivery per event group and channel, a scan's group
// held until the scan ends, mutes and disabled rules honoured, deliveries Temporal could not take
// started by a later round, and several dispatchers at once never doubling or dropping an event.
describe('DispatchNotificationEvents on PostgreSQL', () => {
  let orm: MikroORM;
  let uow: MikroOrmUnitOfWork;
  const db = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 10 }),
    );
    uow = new MikroOrmUnitOfWork(orm.em);
  });
  afterAll(async () => orm?.close(true));

  class RecordingStarter implements NotificationDeliveryStarter {
    readonly started: string[] = [];
    down = false;
    async start(id: string): Promise<void> {
      if (this.down) throw new Error('14 UNAVAILABLE: connection refused');
      this.started.push(id);
    }
  }

  const dispatcher = (starter: NotificationDeliveryStarter, batchSize = 500) =>
    new DispatchNotificationEvents(uow, starter, SYSTEM_CLOCK, randomUUID, {
      batchSize,
      groupWaitMs: 5 * 60 * 1000,
      startBatchSize: 1000,
    });

  /** Until a round finds nothing: other tests' leftovers are dispatched too, harmlessly. */
  async function drain(d: DispatchNotificationEvents): Promise<void> {
    for (let i = 0; i < 100; i++) if ((await d.execute()).events === 0) return;
    throw new Error('the dispatcher never ran dry');
  }

  async function org() {
    const orgId = randomUUID();
    await db()('organizations').insert({ id: orgId, name: 'notify', slug: `notify-${orgId.slice(0, 12)}` });
    const repoId = randomUUID();
    await db()('repositories').insert({
      id: repoId,
      org_id: orgId,
      owner: 'acme',
      name: `api-${repoId.slice(0, 8)}`,
      default_branch: 'main',
    });
    return { orgId, repoId };
  }

  async function channel(orgId: string, name = `ch-${randomUUID().slice(0, 8)}`) {
    const id = randomUUID();
    await db()('notification_channels').insert({ id, org_id: orgId, name, kind: 'slack', summary: '{}' });
    return id;
  }

  async function rule(
    orgId: string,
    channelId: string,
    events: NotificationEventType[],
    extra: Record<string, unknown> = {},
  ) {
    const id = randomUUID();
    await db()('notification_rules').insert({
      id,
      org_id: orgId,
      name: `rule-${id.slice(0, 8)}`,
      channel_id: channelId,
      events: JSON.stringify(events),
      ...extra,
    });
    return id;
  }

  async function event(
    orgId: string,
    repoId: string,
    type: NotificationEventType,
    groupKey: string,
    extra: { scanId?: string; severity?: string; occurredAt?: Date } = {},
  ) {
    const id = randomUUID();
    await db()('notification_events').insert({
      id,
      org_id: orgId,
      repo_id: repoId,
      repo_name: 'acme/api',
      type,
      severity: extra.severity ?? (type.startsWith('finding') ? 'HIGH' : null),
      group_key: groupKey,
      scan_id: extra.scanId ?? null,
      payload: JSON.stringify({}),
      ...(extra.occurredAt ? { occurred_at: extra.occurredAt } : {}),
    });
    return id;
  }

  const deliveriesOf = (orgId: string) =>
    db()('notification_deliveries').where({ org_id: orgId }).orderBy('created_at') as Promise<
      {
        id: string;
        channel_id: string;
        event_ids: string[];
        rule_ids: string[];
        group_key: string;
        workflow_started_at: Date | null;
      }[]
    >;
  const undispatched = async (orgId: string) =>
    Number(
      (
        await db()('notification_events').where({ org_id: orgId }).whereNull('dispatched_at').count('* as n')
      )[0]!.n,
    );

  it('sends a scan with 100 new findings and a status change as one delivery per channel', async () => {
    const { orgId, repoId } = await org();
    const [slack, email] = [await channel(orgId), await channel(orgId)];
    const findingsRule = await rule(orgId, slack, ['finding.new']);
    const statusRule = await rule(orgId, slack, ['repo.status_changed']);
    const emailRule = await rule(orgId, email, ['repo.status_changed']);
    await rule(orgId, email, ['finding.new'], { enabled: false });
    const group = `scan:${randomUUID()}`;
    const findings: string[] = [];
    for (let i = 0; i < 100; i++) findings.push(await event(orgId, repoId, 'finding.new', group));
    const status = await event(orgId, repoId, 'repo.status_changed', group);
    const starter = new RecordingStarter();

    await drain(dispatcher(starter, 40));

    const deliveries = await deliveriesOf(orgId);
    expect(deliveries).toHaveLength(2);
    const toSlack = deliveries.find((d) => d.channel_id === slack)!;
    const toEmail = deliveries.find((d) => d.channel_id === email)!;
    expect(toSlack.event_ids).toEqual([...findings, status]);
    expect(toSlack.rule_ids).toEqual([findingsRule, statusRule].sort());
    expect(toEmail.event_ids).toEqual([status]);
    expect(toEmail.rule_ids).toEqual([emailRule]);
    expect(toSlack.group_key).toBe(toEmail.group_key);
    expect(toSlack.group_key).toMatch(new RegExp(`^${group}:\\d+$`));
    expect(starter.started).toEqual(expect.arrayContaining([toSlack.id, toEmail.id]));
    expect(deliveries.every((d) => d.workflow_started_at !== null)).toBe(true);
    expect(await undispatched(orgId)).toBe(0);
  });

  it("holds a scan's events until the scan ends, unless they waited too long", async () => {
    const { orgId, repoId } = await org();
    const slack = await channel(orgId);
    await rule(orgId, slack, ['finding.new', 'scan.failed']);
    const scanId = randomUUID();
    await db()('scans').insert({
      id: scanId,
      org_id: orgId,
      repo_id: repoId,
      workflow_id: `wf-${scanId}`,
      trigger: 'api',
      status: 'PERSISTING',
      phase_timings: '{}',
      counts: '{}',
    });
    const group = `scan:${scanId}`;
    const first = await event(orgId, repoId, 'finding.new', group, { scanId });
    const stale = await event(orgId, repoId, 'finding.new', `scan:${randomUUID()}`, {
      scanId: randomUUID(),
      occurredAt: new Date(Date.now() - 10 * 60 * 1000),
    });
    const starter = new RecordingStarter();

    await drain(dispatcher(starter));
    // The stale one went on its own (its scan row never appeared); the running scan's waits.
    expect((await deliveriesOf(orgId)).map((d) => d.event_ids)).toEqual([[stale]]);
    expect(await undispatched(orgId)).toBe(1);

    const failed = await event(orgId, repoId, 'scan.failed', group, { scanId });
    await db()('scans').where({ id: scanId }).update({ status: 'FAILED' });
    await drain(dispatcher(starter));
    expect((await deliveriesOf(orgId)).map((d) => d.event_ids)).toEqual([[stale], [first, failed]]);
  });

  it('sends nothing for a muted repository, a lower severity, or an org without rules, and marks it all dispatched', async () => {
    const { orgId, repoId } = await org();
    const slack = await channel(orgId);
    const muted = await rule(orgId, slack, ['finding.new']);
    await rule(orgId, slack, ['finding.new'], { min_severity: 'CRITICAL' });
    await db()('notification_rule_mutes').insert({
      rule_id: muted,
      repo_id: repoId,
      until: new Date(Date.now() + 3_600_000),
    });
    await event(orgId, repoId, 'finding.new', `g-${randomUUID()}`, { severity: 'HIGH' });
    const quiet = await org();
    await event(quiet.orgId, quiet.repoId, 'finding.new', `g-${randomUUID()}`);

    await drain(dispatcher(new RecordingStarter()));

    expect(await deliveriesOf(orgId)).toEqual([]);
    expect(await deliveriesOf(quiet.orgId)).toEqual([]);
    expect(await undispatched(orgId)).toBe(0);
    expect(await undispatched(quiet.orgId)).toBe(0);
  });

  it('keeps deliveries Temporal would not take and starts them in a later round', async () => {
    const { orgId, repoId } = await org();
    const slack = await channel(orgId);
    await rule(orgId, slack, ['finding.new']);
    await event(orgId, repoId, 'finding.new', `g-${randomUUID()}`);
    const starter = new RecordingStarter();
    starter.down = true;

    const round = await dispatcher(starter).execute();
    expect(round.engineUnavailable).toBe(true);
    const [waiting] = await deliveriesOf(orgId);
    expect(waiting!.workflow_started_at).toBeNull();
    expect(await undispatched(orgId)).toBe(0);

    starter.down = false;
    await drain(dispatcher(starter));
    const [started] = await deliveriesOf(orgId);
    expect(started!.workflow_started_at).not.toBeNull();
    expect(starter.started).toContain(waiting!.id);
  });

  it('keeps a group whole when another API replica holds part of it', async () => {
    const { orgId, repoId } = await org();
    const slack = await channel(orgId);
    await rule(orgId, slack, ['finding.new']);
    const group = `scan-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await event(orgId, repoId, 'finding.new', group));

    // Replica A took the group's first three events (its first query) and has not committed yet.
    const replicaA = await db().transaction();
    try {
      await replicaA.raw('select id from notification_events where id = any(?) for update', [
        ids.slice(0, 3),
      ]);
      await dispatcher(new RecordingStarter()).execute();
    } finally {
      await replicaA.rollback();
    }
    await drain(dispatcher(new RecordingStarter()));

    expect((await deliveriesOf(orgId)).map((d) => d.event_ids)).toEqual([ids]);
  });

  it('sends a scan of 10,000 events as one delivery per channel', async () => {
    const { orgId, repoId } = await org();
    const [slack, email] = [await channel(orgId), await channel(orgId)];
    await rule(orgId, slack, ['finding.new']);
    await rule(orgId, email, ['finding.new']);
    const group = `scan:${randomUUID()}`;
    const rows = Array.from({ length: 10_001 }, () => ({
      id: randomUUID(),
      org_id: orgId,
      repo_id: repoId,
      repo_name: 'acme/api',
      type: 'finding.new',
      severity: 'HIGH',
      group_key: group,
      payload: JSON.stringify({}),
    }));
    await db().batchInsert('notification_events', rows, 2_000);

    await drain(dispatcher(new RecordingStarter()));

    // The row names the first 10,000 and counts the rest; the message says "and N more".
    const deliveries = (await deliveriesOf(orgId)) as (Awaited<ReturnType<typeof deliveriesOf>>[number] & {
      event_total: number | null;
    })[];
    expect(deliveries.map((d) => [d.channel_id, d.event_ids.length, d.event_total]).sort()).toEqual(
      [
        [slack, 10_000, 10_001],
        [email, 10_000, 10_001],
      ].sort(),
    );
    expect(deliveries[0]!.event_ids).toEqual(rows.slice(0, 10_000).map((r) => r.id));
    expect(await undispatched(orgId)).toBe(0);
  });

  it('never delivers an event twice nor skips one when dispatchers race', async () => {
    const { orgId, repoId } = await org();
    const slack = await channel(orgId);
    await rule(orgId, slack, ['finding.new', 'repo.status_changed']);
    const written: string[] = [];
    const writing = (async () => {
      for (let g = 0; g < 30; g++) {
        const group = `race-${g}-${randomUUID()}`;
        for (let i = 0; i < 10; i++) written.push(await event(orgId, repoId, 'finding.new', group));
      }
    })();
    const starters = [new RecordingStarter(), new RecordingStarter(), new RecordingStarter()];
    let stop = false;
    const racers = starters.map(async (starter) => {
      const d = dispatcher(starter, 7);
      while (!stop) await d.execute();
      await drain(d);
    });
    await writing;
    stop = true;
    await Promise.all(racers);

    const deliveries = await deliveriesOf(orgId);
    const delivered = deliveries.flatMap((d) => d.event_ids);
    expect(delivered).toHaveLength(written.length);
    expect(new Set(delivered)).toEqual(new Set(written));
    expect(new Set(deliveries.map((d) => d.group_key)).size).toBe(deliveries.length);
    const started = starters.flatMap((s) => s.started).filter((id) => deliveries.some((d) => d.id === id));
    // Each delivery's workflow start was asked for at least once (a second ask is the workflow id's no-op).
    expect(new Set(started)).toEqual(new Set(deliveries.map((d) => d.id)));
  });
});
