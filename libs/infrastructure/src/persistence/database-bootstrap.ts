import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createMikroOrmConfig } from './mikro-orm.config';

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

/** Applies every pending committed migration. Returns the names applied by this call. */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  try {
    const applied = await orm.migrator.up();
    return applied.map((migration) => migration.name);
  } finally {
    await orm.close(true);
  }
}

export async function prepareDatabase(databaseUrl: string): Promise<{ created: boolean; applied: string[] }> {
  const created = await ensureDatabase(databaseUrl);
  const applied = await migrateDatabase(databaseUrl);
  return { created, applied };
}
