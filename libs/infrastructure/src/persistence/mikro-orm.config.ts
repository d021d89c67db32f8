import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface PersistenceSettings {
  readonly databaseUrl: string;
  readonly debug?: boolean;
  readonly poolMax?: number;
}

/** The one MikroORM configuration, shared by the API, the worker, the scripts and the CLI. */
export function createMikroOrmConfig(settings: PersistenceSettings): Options {
  return defineConfig({
    clientUrl: settings.databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    debug: settings.debug ?? false,
    pool: { min: 0, max: settings.poolMax ?? 10 },
    driverOptions: {
      connection: {
        // MikroORM reads only host, port, user, password and database from the URL; the driver
        // reads the rest from it too (sslmode, sslrootcert, application_name...), so what the
        // operator wrote, TLS above all, is what the connection does.
        connectionString: settings.databaseUrl,
        // Fail in seconds, not minutes, when the server does not answer.
        connectionTimeoutMillis: 5_000,
      },
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      // New migrations are generated here by MikroORM's migrator and then added to MIGRATIONS.
      pathTs: 'libs/infrastructure/src/persistence/migrations',
      path: 'dist/libs/infrastructure/src/persistence/migrations',
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    allowGlobalContext: false,
  });
}

// Entry point for the MikroORM CLI (`npx mikro-orm migration:create`).
export default createMikroOrmConfig({
  databaseUrl: process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard',
});
