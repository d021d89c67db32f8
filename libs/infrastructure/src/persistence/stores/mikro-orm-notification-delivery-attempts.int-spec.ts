import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmNotificationDeliveryAttempts } from './mikro-orm-notification-delivery-attempts';

// The delivery workflow's store on the real database: deliveries of any size load, and what a
// receiver answered is kept short in the log.
describe('MikroOrmNotificationDeliveryAttempts on PostgreSQL', () => {
  let orm: MikroORM;
  const db = () => orm.em.getKnex();
  const attempts = () => new MikroOrmNotificationDeliveryAttempts(orm.em.fork());

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 5 }),
    );
  });
  afterAll(async () => orm?.close(true));

  async function delivery(eventIds: readonly string[], kind: 'immediate' | 'digest' = 'immediate') {
    const orgId = randomUUID();
    await db()('organizations').insert({ id: orgId, name: 'Acme', slug: `acme-${orgId.slice(0, 12)}` });
    const channelId = randomUUID();
    await db()('notification_channels').insert({
      id: channelId,
      org_id: orgId,
      name: 'c',
      kind: 'slack',
      summary: '{}',
    });
    const id = randomUUID();
    await db()('notification_deliveries').insert({
      id,
      org_id: orgId,
      channel_id: channelId,
      channel_kind: 'slack',
      channel_name: 'c',
      rule_ids: JSON.stringify([]),
      kind,
      group_key: `g:${id}`,
      event_ids: JSON.stringify(eventIds),
    });
    return { id, orgId };
  }

  async function events(orgId: string, count: number): Promise<string[]> {
    const rows = Array.from({ length: count }, () => ({
      id: randomUUID(),
      org_id: orgId,
      repo_id: null,
      repo_name: 'acme/api',
      type: 'finding.new',
      severity: 'HIGH',
      group_key: 'g',
      payload: JSON.stringify({ finding: { vulnerability_id: 'GHSA-1' } }),
    }));
    await db().batchInsert('notification_events', rows, 2_000);
    return rows.map((r) => r.id);
  }

  it('loads a delivery naming more than 65,535 events (a weekly digest of a busy org)', async () => {
    const { id } = await delivery(
      Array.from({ length: 70_000 }, () => randomUUID()),
      'digest',
    );
    const loaded = await attempts().load(id);
    expect(loaded?.delivery.id).toBe(id);
    expect(loaded?.delivery.event_ids).toHaveLength(70_000);
    // None of those ids is a stored event.
    expect(loaded?.events).toEqual([]);
    expect(loaded?.eventCount).toBe(0);
  });

  it('loads at most the message cap of events, and counts them all', async () => {
    const { id, orgId } = await delivery([]);
    const ids = await events(orgId, 10_050);
    await db()('notification_deliveries')
      .where({ id })
      .update({ event_ids: JSON.stringify(ids) });
    const loaded = await attempts().load(id);
    expect(loaded?.eventCount).toBe(10_050);
    expect(loaded?.events).toHaveLength(10_000);
  });

  it('loads only the events still stored (a disconnected repository took the rest)', async () => {
    const { id, orgId } = await delivery([]);
    const ids = await events(orgId, 3);
    await db()('notification_deliveries')
      .where({ id })
      .update({ event_ids: JSON.stringify(ids) });
    await db()('notification_events').where({ id: ids[1] }).delete();
    const loaded = await attempts().load(id);
    expect(loaded?.events.map((e) => e.id)).toEqual([ids[0], ids[2]]);
    expect(loaded?.eventCount).toBe(2);
  });

  it('keeps at most 500 characters of an error in the log', async () => {
    const { id } = await delivery([]);
    const huge = `receiver said: ${'x'.repeat(100_000)}`;
    await attempts().record(id, {
      status: 'sending',
      error: huge,
      statusCode: 503,
      nextAttemptAt: null,
      at: new Date(),
    });
    const sending = await db()('notification_deliveries').where({ id }).first();
    expect(sending.last_error.length).toBeLessThanOrEqual(500);
    expect(sending.last_error).toMatch(/^receiver said: x+…$/);

    await attempts().giveUp(id, `Gave up after retries (${'y'.repeat(100_000)})`, new Date());
    const failed = await db()('notification_deliveries').where({ id }).first();
    expect(failed.status).toBe('failed');
    expect(failed.last_error.length).toBeLessThanOrEqual(500);
    expect(failed.last_error).toMatch(/^Gave up after retries \(y+/);
  });
});
