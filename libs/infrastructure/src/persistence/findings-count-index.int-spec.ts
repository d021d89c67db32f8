import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createMikroOrmConfig } from './mikro-orm.config';
import { dropDatabase, prepareDatabase } from './database-bootstrap';
import { Migration20261213010000 } from './migrations/Migration20261213010000';
import { Migration20261214040000 } from './migrations/Migration20261214040000';
import { freshDatabaseUrl } from '../../../../test/support/fresh-database';

const INDEX = 'findings_repo_id_status_severity_org_id_index';
const BEFORE = 'Migration20261212050000';
const REBUILD = 'Migration20261213010000';
/** One index of that name, valid, with the columns the count reads; nothing left of the build. */
const REBUILT = [
  {
    definition: `CREATE INDEX ${INDEX} ON public.findings USING btree (repo_id, status, severity, org_id, triage_expires_at, ecosystem)`,
    valid: true,
  },
];

// The findings count index (and the recent-scans index) are built on live databases: the API keeps reading and writing findings
// meanwhile, and a long report query may hold the table, so the rebuild must block neither.
describe('Migration20261213010000 (findings count index)', () => {
  const databaseUrl = freshDatabaseUrl('ccidx');
  let orm: MikroORM;
  const clients: Client[] = [];

  async function session(): Promise<Client> {
    const client = new Client({ connectionString: databaseUrl });
    clients.push(client);
    await client.connect();
    return client;
  }

  async function indexState(db: Client): Promise<{ definition: string; valid: boolean }[]> {
    const { rows } = await db.query(
      `select pg_get_indexdef(i.indexrelid) as definition, i.indisvalid as valid
         from pg_index i join pg_class c on c.oid = i.indexrelid
        where i.indrelid = 'findings'::regclass and c.relname like 'findings_%'
          and pg_get_indexdef(i.indexrelid) like '%(repo_id, status, severity, org_id%'`,
    );
    return rows;
  }

  beforeAll(async () => {
    // From nothing, in the order a new installation applies them.
    await prepareDatabase(databaseUrl);
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 4 }));
  });

  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
    await orm?.close(true);
    await dropDatabase(databaseUrl);
  });

  it('rebuilds the index while a long read holds the table, without blocking reads or writes', async () => {
    await orm.migrator.down({ to: BEFORE });
    const reader = await session();
    await reader.query('begin');
    await reader.query('select count(*) from findings');

    const migrating = orm.migrator.up({ to: REBUILD });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const api = await session();
      await api.query(`set lock_timeout = '2s'`);
      await api.query('select count(*) from findings');
      await api.query('update findings set status = status where false');
    } finally {
      await reader.query('commit');
      await migrating;
    }
    const db = await session();
    expect(await indexState(db)).toEqual(REBUILT);
  });

  async function runAgain(db: Client, migration: Migration20261213010000 | Migration20261214040000) {
    await migration.up();
    for (const sql of migration.getQueries()) await db.query(String(sql));
  }

  it('can run again, as after an interruption before it was recorded', async () => {
    const db = await session();
    await runAgain(db, new Migration20261213010000(orm.em.getDriver(), orm.config));
    expect(await indexState(db)).toEqual(REBUILT);
  });

  it('can run again after a cancelled build left its new index behind invalid', async () => {
    const db = await session();
    // What a cancelled CREATE INDEX CONCURRENTLY leaves: the index, marked invalid (never used by
    // a query, still maintained on every write). Here with other columns, so a reuse would show.
    await db.query(
      `create index "findings_count_index_next" on findings (repo_id, status, severity, org_id)`,
    );
    await db.query(
      `update pg_index set indisvalid = false where indexrelid = 'findings_count_index_next'::regclass`,
    );
    await runAgain(db, new Migration20261213010000(orm.em.getDriver(), orm.config));
    expect(await indexState(db)).toEqual(REBUILT);
  });

  it('builds the recent-scans index CONCURRENTLY too, again after a cancelled build', async () => {
    // The tests above stopped at the findings index; the rest as a new installation runs it.
    await orm.migrator.up();
    const db = await session();
    const scansIndexes = async () =>
      (
        await db.query(
          `select c.relname as name, pg_get_indexdef(i.indexrelid) as definition, i.indisvalid as valid
             from pg_index i join pg_class c on c.oid = i.indexrelid
            where i.indrelid = 'scans'::regclass and pg_get_indexdef(i.indexrelid) like '%(org_id, created_at)%'`,
        )
      ).rows;
    const BUILT = [
      {
        name: 'scans_org_id_created_at_index',
        definition:
          'CREATE INDEX scans_org_id_created_at_index ON public.scans USING btree (org_id, created_at)',
        valid: true,
      },
    ];
    expect(await scansIndexes()).toEqual(BUILT);
    await db.query(`create index "scans_org_id_created_at_index_next" on scans (org_id, created_at)`);
    await db.query(
      `update pg_index set indisvalid = false where indexrelid = 'scans_org_id_created_at_index_next'::regclass`,
    );
    await runAgain(db, new Migration20261214040000(orm.em.getDriver(), orm.config));
    expect(await scansIndexes()).toEqual(BUILT);
    // And it is no transaction's: CONCURRENTLY would be refused inside one.
    expect(new Migration20261214040000(orm.em.getDriver(), orm.config).isTransactional()).toBe(false);
  });
});
