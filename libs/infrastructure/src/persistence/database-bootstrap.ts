import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createMikroOrmConfig } from './mikro-orm.config';
import { MIGRATIONS } from './migrations';
import type { Migration } from '@mikro-orm/migrations';

const CONNECT_TIMEOUT_MS = 3_000;

export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
}

/** Splits a PostgreSQL URL into the server's maintenance database URL and the target database name. */
export function parseDatabaseUrl(databaseUrl: string): { serverUrl: string; database: string } {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`DATABASE_URL names no database: ${redactUrl(databaseUrl)}`);
  url.pathname = '/postgres';
  return { serverUrl: url.toString(), database };
}

export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparsable url>';
  }
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    return client;
  } catch (error) {
    const { hostname, port } = new URL(url);
    throw new DatabaseUnavailableError(
      `PostgreSQL is not answering at ${hostname}:${port || 5432} (${(error as Error).message}). ` +
        `Start it (here: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) ` +
        `or point DATABASE_URL at a running server.`,
    );
  }
}

/** Creates the database named by the URL when it does not exist yet. Returns true when it created it. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const { serverUrl, database } = parseDatabaseUrl(databaseUrl);
  const client = await connect(serverUrl);
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return false;
    await client.query(`create database "${database.replace(/"/g, '""')}"`);
    return true;
  } catch (error) {
    // Two processes may race to create it; the loser finds it there.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const { serverUrl, database } = parseDatabaseUrl(databaseUrl);
  const client = await connect(serverUrl);
  try {
    await client.query(`drop database if exists "${database.replace(/"/g, '""')}" with (force)`);
  } finally {
    await client.end();
  }
}

/**
 * Applies every pending committed migration. Returns the names applied by this call. Pending
 * migrations run together in one transaction (allOrNothing), except one that may not run in a
 * transaction (CREATE INDEX CONCURRENTLY): what precedes it is committed first, then it runs on its
 * own, so it sees the tables they made and waits on no transaction of ours.
 */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  try {
    const applied: string[] = [];
    const up = async (to: string) => {
      applied.push(...(await orm.migrator.up({ to })).map((migration) => migration.name));
    };
    const pending = (await orm.migrator.getPendingMigrations()).map((migration) => migration.name);
    for (const [i, name] of pending.entries()) {
      const type = MIGRATIONS.find((migration) => migration.name === name)?.class;
      const migration = type && (new type(orm.em.getDriver(), orm.config) as Partial<Migration>);
      if (migration?.isTransactional?.() !== false) continue;
      if (i > 0 && !applied.includes(pending[i - 1]!)) await up(pending[i - 1]!);
      await up(name);
    }
    applied.push(...(await orm.migrator.up()).map((migration) => migration.name));
    return applied;
  } finally {
    await orm.close(true);
  }
}

export async function prepareDatabase(databaseUrl: string): Promise<{ created: boolean; applied: string[] }> {
  const created = await ensureDatabase(databaseUrl);
  const applied = await migrateDatabase(databaseUrl);
  return { created, applied };
}
