import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { createMikroOrmConfig } from './mikro-orm.config';
import { dropDatabase, prepareDatabase } from './database-bootstrap';
import { MIGRATIONS } from './migrations';
import { AuditLogEntity, OrganizationEntity } from './entities';
import { MikroOrmSystemProbe } from './repositories/mikro-orm-system-probe';
import { freshDatabaseUrl } from '../../../../test/support/fresh-database';

describe('PostgreSQL through MikroORM', () => {
  // A database of its own, created and migrated from nothing, so this test proves the committed
  // migrations build the schema the entities expect.
  const databaseUrl = freshDatabaseUrl('it');
  let orm: MikroORM;

  beforeAll(async () => {
    const first = await prepareDatabase(databaseUrl);
    expect(first).toEqual({ created: true, applied: MIGRATIONS.map((m) => m.name) });
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  });

  afterAll(async () => {
    await orm?.close(true);
    await dropDatabase(databaseUrl);
  });

  it('applies nothing the second time', async () => {
    await expect(prepareDatabase(databaseUrl)).resolves.toEqual({ created: false, applied: [] });
  });

  it('writes and reads an organization', async () => {
    const em = orm.em.fork();
    const org = em.create(OrganizationEntity, { name: 'Acme Corp', slug: 'acme' });
    await em.flush();

    const found = await orm.em.fork().findOneOrFail(OrganizationEntity, { slug: 'acme' });
    expect(found.id).toBe(org.id);
    expect(found.name).toBe('Acme Corp');
    expect(found.createdAt).toBeInstanceOf(Date);
  });

  it('enforces unique slugs in the schema', async () => {
    const em = orm.em.fork();
    em.create(OrganizationEntity, { name: 'One', slug: 'dup' });
    await em.flush();
    const other = orm.em.fork();
    other.create(OrganizationEntity, { name: 'Two', slug: 'dup' });
    await expect(other.flush()).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  });

  it('keeps the audit log append-only in the database itself', async () => {
    const em = orm.em.fork();
    const org = em.create(OrganizationEntity, { name: 'Audited', slug: 'audited' });
    const entry = em.create(AuditLogEntity, {
      orgId: org.id,
      actorType: 'system',
      action: 'org.created',
      targetType: 'org',
    });
    await em.flush();
    const connection = orm.em.getConnection();
    await expect(
      connection.execute(`update audit_logs set action = 'x' where id = '${entry.id}'`),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(connection.execute(`delete from audit_logs where id = '${entry.id}'`)).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(connection.execute('truncate audit_logs')).rejects.toThrow(/append-only: TRUNCATE/);
  });

  it('answers the system probe with the applied migration count', async () => {
    const status = await new MikroOrmSystemProbe(orm.em).probeDatabase();
    expect(status.appliedMigrations).toBe(MIGRATIONS.length);
    expect(Math.abs(status.serverTime.getTime() - Date.now())).toBeLessThan(60_000);
  });
});
