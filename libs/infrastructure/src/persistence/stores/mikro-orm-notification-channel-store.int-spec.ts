import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { NotificationChannelSecret } from '@repoguard/domain';
import { AesGcmSecretBox } from '../../crypto/secret-box';
import { dropDatabase, prepareDatabase } from '../database-bootstrap';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmSecretStore } from '../repositories/mikro-orm-secret-store';
import { MikroOrmNotificationChannelDirectory } from './mikro-orm-notification-channel-directory';
import { MikroOrmUnitOfWork } from './mikro-orm-unit-of-work';

// A database of its own: the rotation reads the whole stored_secrets table.
function freshDatabaseUrl(): string {
  const base = new URL(process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard_test');
  base.pathname = `/repoguard_it_channels_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return base.toString();
}

describe('MikroOrmNotificationChannelStore', () => {
  const databaseUrl = freshDatabaseUrl();
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const boxA = new AesGcmSecretBox({ current: keyA });
  const boxBWithOldA = new AesGcmSecretBox({ current: keyB, old: [keyA] });
  let orm: MikroORM;

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  });
  afterAll(async () => {
    await orm?.close(true);
    await dropDatabase(databaseUrl);
  });

  async function newOrg(): Promise<string> {
    const id = randomUUID();
    await orm.em
      .getConnection()
      .execute('insert into organizations (id, name, slug) values (?, ?, ?)', [
        id,
        'Org',
        `org-${id.slice(0, 8)}`,
      ]);
    return id;
  }

  async function createChannel(box: AesGcmSecretBox, orgId: string, secret: NotificationChannelSecret) {
    const id = randomUUID();
    await new MikroOrmUnitOfWork(orm.em, { secretBox: box }).transaction(
      { orgIds: [orgId] },
      ({ notificationChannels }) =>
        notificationChannels.create(
          {
            id,
            org_id: orgId,
            name: `c-${id}`,
            kind: secret.kind,
            summary: { host: 'hooks.example.com' },
            created_by: null,
          },
          secret,
        ),
    );
    return id;
  }

  it('seals the secret under the channel id, bound to its row: copied to another channel it no longer opens', async () => {
    const orgId = await newOrg();
    const secret: NotificationChannelSecret = {
      kind: 'slack',
      url: 'https://hooks.example.com/services/T/B/SECRET',
    };
    const first = await createChannel(boxA, orgId, secret);
    const second = await createChannel(boxA, orgId, {
      kind: 'slack',
      url: 'https://hooks.example.com/other',
    });
    const conn = orm.em.getConnection();
    const rows = await conn.execute<{ owner_id: string; sealed: string }[]>(
      "select owner_id, sealed from stored_secrets where kind = 'notification_channel' and org_id = ? order by owner_id",
      [orgId],
    );
    expect(rows.map((r) => r.owner_id).sort()).toEqual([first, second].sort());
    expect(rows.every((r) => !r.sealed.includes('SECRET') && r.sealed.startsWith('v1.'))).toBe(true);

    const directory = new MikroOrmNotificationChannelDirectory(orm.em, boxA);
    expect(await directory.open(first)).toMatchObject({
      channel: { id: first, org_id: orgId, kind: 'slack' },
      secret,
    });

    const sealedFirst = rows.find((r) => r.owner_id === first)!.sealed;
    await conn.execute(
      "update stored_secrets set sealed = ? where owner_id = ? and kind = 'notification_channel'",
      [sealedFirst, second],
    );
    await expect(directory.open(second)).rejects.toMatchObject({ code: 'NOTIFICATION_CHANNEL_UNREADABLE' });
    expect(await directory.open(randomUUID())).toBeNull();
    // The tampered row would (rightly) stop the rotation below.
    await conn.execute('delete from stored_secrets where owner_id = ?', [second]);
  });

  it('is re-sealed by the key rotation (secrets:rotate) and still opens with the new key alone', async () => {
    const orgId = await newOrg();
    const secret: NotificationChannelSecret = {
      kind: 'webhook',
      url: 'https://receiver.example.com/h',
      secret: 'whsec_AAAA',
    };
    const id = await createChannel(boxA, orgId, secret);

    await new MikroOrmSecretStore(orm.em, boxBWithOldA).rotateAll();

    const onlyB = new AesGcmSecretBox({ current: keyB });
    expect((await new MikroOrmNotificationChannelDirectory(orm.em, onlyB).open(id))?.secret).toEqual(secret);
  });

  it('deletes the secret with the channel, and keeps a channel a rule sends to', async () => {
    const orgId = await newOrg();
    const uow = new MikroOrmUnitOfWork(orm.em, { secretBox: boxA });
    const used = await createChannel(boxA, orgId, {
      kind: 'discord',
      url: 'https://discord.example.com/api/webhooks/1/x',
    });
    const unused = await createChannel(boxA, orgId, {
      kind: 'discord',
      url: 'https://discord.example.com/api/webhooks/2/y',
    });
    const conn = orm.em.getConnection();
    await conn.execute(
      `insert into notification_rules (id, org_id, name, channel_id, events) values (?, ?, 'r', ?, '["finding.new"]')`,
      [randomUUID(), orgId, used],
    );

    const scope = { orgIds: [orgId] };
    expect(
      await uow.transaction(scope, ({ notificationChannels }) => notificationChannels.delete(orgId, used)),
    ).toBe('in_use');
    expect(
      await uow.transaction(scope, ({ notificationChannels }) => notificationChannels.delete(orgId, unused)),
    ).toBe('deleted');
    // Another org's id is not found, whoever asks.
    expect(
      await uow.transaction({ orgIds: [await newOrg()] }, ({ notificationChannels }) =>
        notificationChannels.delete(orgId, used),
      ),
    ).toBe('not_found');
    const owners = await conn.execute<{ owner_id: string }[]>(
      "select owner_id from stored_secrets where kind = 'notification_channel' and org_id = ?",
      [orgId],
    );
    expect(owners.map((r) => r.owner_id)).toEqual([used]);
  });
});
