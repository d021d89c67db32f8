// Generates a migration from the difference between the entities and the database, using
// MikroORM's migrator. Usage: npm run migration:create [-- --initial]
import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig } from '../libs/infrastructure/src/persistence/mikro-orm.config';

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard';
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl }));
  try {
    const initial = process.argv.includes('--initial');
    const result = await orm.migrator.createMigration(undefined, false, initial);
    console.log(result.fileName ? `created ${result.fileName}` : 'no changes: no migration created');
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
