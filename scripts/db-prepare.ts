// Creates the database named by DATABASE_URL if missing and applies the committed migrations.
import { prepareDatabase, redactUrl } from '../libs/infrastructure/src/persistence/database-bootstrap';

const databaseUrl = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard';

prepareDatabase(databaseUrl)
  .then(({ created, applied }) => {
    const what = created ? 'created' : 'found';
    console.log(`database ${redactUrl(databaseUrl)} ${what}; migrations applied now: ${applied.length}`);
  })
  .catch((error: unknown) => {
    console.error(`database preparation failed: ${(error as Error).message}`);
    process.exit(1);
  });
