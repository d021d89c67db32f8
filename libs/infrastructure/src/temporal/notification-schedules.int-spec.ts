// The digest and rescan Schedules on the real Temporal dev server, reconciled from PostgreSQL.
import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { DeleteOrganization, ReconcileNotificationSchedules, type OrgCaller } from '@repoguard/application';
import { SYSTEM_CLOCK } from '@repoguard/domain';
import {
  digestScheduleId,
  RepoGuardOrgId,
  RESCAN_ORG_WORKFLOW,
  rescanScheduleId,
  SEND_DIGEST_WORKFLOW,
} from '@repoguard/contract';
import { freshDatabaseUrl } from '../../../../test/support/fresh-database';
import {
  storedChannel,
  storedOrg,
  storedRule,
  updateRule,
} from '../../../../test/support/notification-fixtures';
import {
  createTemporalHarness,
  temporalNamespace,
  uniqueName,
  type TemporalHarness,
} from '../../../../test/support/temporal-harness';
import { dropDatabase, prepareDatabase } from '../persistence/database-bootstrap';
import { createMikroOrmConfig } from '../persistence/mikro-orm.config';
import { MikroOrmUnitOfWork } from '../persistence/stores/mikro-orm-unit-of-work';
import { SqlDigestRuleDirectory } from '../notifications/sql-digest-rule-directory';
import { TemporalDigestScheduler } from './temporal-digest-scheduler';
import { TemporalRescanScheduler } from './temporal-rescan-scheduler';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('notification schedules on Temporal, reconciled from the database', () => {
  // A database of its own: the reconciler reads every org's rules.
  const databaseUrl = freshDatabaseUrl('notification_schedules');
  let orm: MikroORM;
  let temporal: TemporalHarness;
  let taskQueue: string;

  const reconcilerOn = (client: Client) =>
    new ReconcileNotificationSchedules(
      new MikroOrmUnitOfWork(orm.em),
      new SqlDigestRuleDirectory(orm.em),
      new TemporalDigestScheduler(client, { taskQueue }),
      new TemporalRescanScheduler(client, { taskQueue }),
    );
  const reconcile = () => reconcilerOn(temporal.client).execute();
  const describeSchedule = (id: string) => temporal.client.schedule.getHandle(id).describe();
  const gone = (id: string) => expect(describeSchedule(id)).rejects.toBeInstanceOf(ScheduleNotFoundError);

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 4 }));
    temporal = await createTemporalHarness();
    taskQueue = uniqueName('notification-schedules');
    // Schedules another file of this run left behind are not this database's: start clean.
    await reconcile();
  });
  afterAll(async () => {
    // Every rule and schedule goes with the database: leave no Schedule behind either.
    await orm?.em.fork().getKnex().raw('delete from notification_rules; delete from rescan_schedules;');
    await reconcile().catch(() => undefined);
    await temporal?.close();
    await orm?.close(true);
    await dropDatabase(databaseUrl);
  });

  it('gives a digest rule its calendar Schedule, follows its edits and removes it when disabled, turned immediate or deleted', async () => {
    const orgId = await storedOrg(orm, 'digest-schedules');
    const ruleId = await storedRule(orm, orgId, await storedChannel(orm, orgId), {
      digest: { frequency: 'daily', hour: 9, timezone: 'Europe/Berlin' },
    });
    const id = digestScheduleId(ruleId);

    expect(await reconcile()).toMatchObject({ created: 1, failed: [] });
    let described = await describeSchedule(id);
    expect(described.spec.timezone).toBe('Europe/Berlin');
    expect(described.spec.calendars).toHaveLength(1);
    expect(described.spec.calendars![0]).toMatchObject({
      hour: [{ start: 9, end: 9 }],
      minute: [{ start: 0, end: 0 }],
      dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY' }],
    });
    expect(described.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: DAY_MS });
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: SEND_DIGEST_WORKFLOW,
      taskQueue,
      args: [{ ruleId }],
    });
    expect(described.memo).toMatchObject({ kind: 'notification_digest', org_id: orgId, rule_id: ruleId });
    expect(described.typedSearchAttributes.get(RepoGuardOrgId)).toBe(orgId);
    // The next run is at 09:00 in Berlin, whatever the server's zone.
    const next = described.info.nextActionTimes[0]!;
    const berlinHour = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: 'numeric',
      hour12: false,
    });
    expect(Number(berlinHour.format(next))).toBe(9);

    // Nothing changed: the listed note matches, nothing is written.
    expect(await reconcile()).toMatchObject({ created: 0, updated: 0, removed: 0, unchanged: 1 });

    await updateRule(orm, ruleId, {
      digest: { frequency: 'weekly', hour: 17, weekday: 1, timezone: 'America/New_York' },
    });
    expect(await reconcile()).toMatchObject({ updated: 1, failed: [] });
    described = await describeSchedule(id);
    expect(described.spec.timezone).toBe('America/New_York');
    expect(described.spec.calendars![0]).toMatchObject({
      hour: [{ start: 17, end: 17 }],
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY' }],
    });

    await updateRule(orm, ruleId, { enabled: false });
    expect(await reconcile()).toMatchObject({ removed: 1, failed: [] });
    await gone(id);

    await updateRule(orm, ruleId, { enabled: true });
    expect(await reconcile()).toMatchObject({ created: 1 });
    await updateRule(orm, ruleId, { mode: 'immediate', digest: null });
    expect(await reconcile()).toMatchObject({ removed: 1 });
    await gone(id);

    await updateRule(orm, ruleId, {
      mode: 'digest',
      digest: { frequency: 'daily', hour: 6, timezone: 'UTC' },
    });
    expect(await reconcile()).toMatchObject({ created: 1 });
    await orm.em.fork().getKnex()('notification_rules').where({ id: ruleId }).delete();
    expect(await reconcile()).toMatchObject({ removed: 1 });
    await gone(id);
  });

  it('puts back a Schedule changed behind its back, even when its note still matches', async () => {
    const orgId = await storedOrg(orm, 'digest-drift');
    const ruleId = await storedRule(orm, orgId, await storedChannel(orm, orgId));
    await reconcile();
    const handle = temporal.client.schedule.getHandle(digestScheduleId(ruleId));
    // An operator edits the hour in the UI; the note (what RepoGuard wrote) stays.
    await handle.update((current) => ({
      ...current,
      spec: { calendars: [{ hour: 3, minute: 0 }], timezone: 'Europe/Berlin' },
    }));
    // The list shows the old note, so only a described Schedule reveals it: a round that trusts
    // the list leaves it, an explicit apply without a listed note puts it back.
    const scheduler = new TemporalDigestScheduler(temporal.client, { taskQueue });
    const rule = (await new SqlDigestRuleDirectory(orm.em).enabledDigestRules(null, 1000)).find(
      (r) => r.id === ruleId,
    )!;
    expect(await scheduler.apply(rule)).toBe('updated');
    expect((await handle.describe()).spec.calendars![0]).toMatchObject({ hour: [{ start: 9, end: 9 }] });
  });

  it('is created once when three replicas reconcile together', async () => {
    const orgId = await storedOrg(orm, 'digest-race');
    const ruleId = await storedRule(orm, orgId, await storedChannel(orm, orgId));
    const rounds = await Promise.all([reconcile(), reconcile(), reconcile()]);
    expect(rounds.flatMap((r) => r.failed)).toEqual([]);
    expect(rounds.reduce((sum, r) => sum + r.created, 0)).toBe(1);
    expect((await describeSchedule(digestScheduleId(ruleId))).action.workflowType).toBe(SEND_DIGEST_WORKFLOW);
  });

  it("leaves alone another deployment's Schedules in the same namespace (its own task queue and database)", async () => {
    const orgId = await storedOrg(orm, 'digest-other-deployment');
    const ruleId = await storedRule(orm, orgId, await storedChannel(orm, orgId));
    expect(await reconcile()).toMatchObject({ created: 1, failed: [] });
    // A deployment on another task queue knows no such rule: it must not take the Schedule for its own.
    const other = new ReconcileNotificationSchedules(
      new MikroOrmUnitOfWork(orm.em),
      { enabledDigestRules: () => Promise.resolve([]) } as unknown as SqlDigestRuleDirectory,
      new TemporalDigestScheduler(temporal.client, { taskQueue: `${taskQueue}-other` }),
      new TemporalRescanScheduler(temporal.client, { taskQueue: `${taskQueue}-other` }),
    );
    expect(await other.execute()).toMatchObject({ removed: 0, failed: [] });
    expect((await describeSchedule(digestScheduleId(ruleId))).memo).toMatchObject({ task_queue: taskQueue });
  });

  it("gives an org's rescan schedule its Schedule, named for the org in the Web UI, and removes it with the schedule", async () => {
    const orgId = await storedOrg(orm, 'rescans');
    const uow = new MikroOrmUnitOfWork(orm.em);
    await uow.transaction('system', ({ rescanSchedules }) =>
      rescanSchedules.put(
        orgId,
        { frequency: 'weekly', hour: 2, weekday: 6, timezone: 'Asia/Tokyo' },
        'test',
      ),
    );
    expect(await reconcile()).toMatchObject({ created: 1, failed: [] });
    const described = await describeSchedule(rescanScheduleId(orgId));
    expect(described.spec.timezone).toBe('Asia/Tokyo');
    expect(described.spec.calendars![0]).toMatchObject({
      hour: [{ start: 2, end: 2 }],
      dayOfWeek: [{ start: 'SATURDAY', end: 'SATURDAY' }],
    });
    expect(described.action).toMatchObject({
      workflowType: RESCAN_ORG_WORKFLOW,
      args: [{ orgId }],
      taskQueue,
    });
    expect(described.memo).toMatchObject({ kind: 'org_rescan', org_id: orgId });
    expect(described.typedSearchAttributes.get(RepoGuardOrgId)).toBe(orgId);

    await uow.transaction('system', ({ rescanSchedules }) => rescanSchedules.remove(orgId));
    expect(await reconcile()).toMatchObject({ removed: 1 });
    await gone(rescanScheduleId(orgId));
  });

  it("stops a deleted org's Schedules: DeleteOrganization removes its rescan schedule, the round both Schedules", async () => {
    const orgId = await storedOrg(orm, 'deleted-org');
    const uow = new MikroOrmUnitOfWork(orm.em);
    const ruleId = await storedRule(orm, orgId, await storedChannel(orm, orgId), {
      digest: { frequency: 'daily', hour: 7, timezone: 'UTC' },
    });
    await uow.transaction('system', ({ rescanSchedules }) =>
      rescanSchedules.put(orgId, { frequency: 'daily', hour: 3, timezone: 'UTC' }, 'test'),
    );
    expect(await reconcile()).toMatchObject({ created: 2, failed: [] });

    const caller: OrgCaller = {
      scope: 'system',
      orgId,
      role: 'owner',
      actor: { actorType: 'user', actorId: randomUUID(), correlationId: null, ip: null },
    };
    await new DeleteOrganization(uow, SYSTEM_CLOCK, { cancel: async () => undefined }).execute({ caller });

    expect(await orm.em.fork().getKnex()('rescan_schedules').where({ org_id: orgId })).toEqual([]);
    expect(await reconcile()).toMatchObject({ removed: 2, failed: [] });
    await gone(rescanScheduleId(orgId));
    await gone(digestScheduleId(ruleId));
  });

  it('never keeps the rescan Schedule of an org deleted while its schedule row stayed', async () => {
    const orgId = await storedOrg(orm, 'deleted-before');
    const uow = new MikroOrmUnitOfWork(orm.em);
    await uow.transaction('system', ({ rescanSchedules }) =>
      rescanSchedules.put(orgId, { frequency: 'daily', hour: 4, timezone: 'UTC' }, 'test'),
    );
    expect(await reconcile()).toMatchObject({ created: 1, failed: [] });
    // Deleted before DeleteOrganization removed the row.
    await orm.em.fork().getKnex()('organizations').where({ id: orgId }).update({ deleted_at: new Date() });

    expect(await reconcile()).toMatchObject({ removed: 1, failed: [] });
    await gone(rescanScheduleId(orgId));
  });

  it('fails the round while Temporal is out of reach, and the next round catches up from the database', async () => {
    const orgId = await storedOrg(orm, 'digest-outage');
    const ruleId = await storedRule(orm, orgId, await storedChannel(orm, orgId));
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const unreachable = new Client({ connection, namespace: temporalNamespace() });
    // A bounded wait for the failure (gRPC would keep trying to connect for its own long deadline).
    await expect(
      connection.withDeadline(Date.now() + 2_000, () => reconcilerOn(unreachable).execute()),
    ).rejects.toThrow();
    await gone(digestScheduleId(ruleId));
    expect(await reconcile()).toMatchObject({ created: 1, failed: [] });
    expect((await describeSchedule(digestScheduleId(ruleId))).action.args).toEqual([{ ruleId }]);
  });
});
