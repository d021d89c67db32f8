// npm run bench:scan-queries — how many SQL statements one scan of a 20-manifest repository sends
// to PostgreSQL, in total and per activity, through the real worker activities on the Temporal
// dev server. Counted at the driver: every statement knex hands to pg (MikroORM's queries, raw SQL,
// BEGIN/COMMIT) fires knex's `query` event, attributed to the activity whose context it runs in.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Knex } from '@mikro-orm/knex';
import type { OsvRecord } from '@repoguard/domain';
import { withScanHarness } from './scan-bench-harness';

const MANIFESTS = 20;
// BENCH_SHOW_SQL=1 prints each statement with its activity: where the count comes from.
const SHOW_SQL = process.env['BENCH_SHOW_SQL'] === '1';

/**
 * Ten lock files and ten requirements files, each in a directory of its own, none alike, and new
 * to the database on every run (blobs are content-addressed: a stored one is never downloaded).
 */
function repositoryFiles(): Record<string, string> {
  const run = randomUUID();
  const files: Record<string, string> = { 'README.md': '# twenty services\n' };
  for (let i = 0; i < MANIFESTS / 2; i++) {
    files[`web/app-${i}/package-lock.json`] = JSON.stringify({
      name: `app-${i}-${run}`,
      lockfileVersion: 3,
      packages: {
        '': { name: `app-${i}` },
        'node_modules/lodash': { version: `4.17.${i}` },
        [`node_modules/pkg-${i}`]: { version: '1.0.0' },
      },
    });
    files[`services/svc-${i}/requirements.txt`] = `# ${run}\ndjango==3.2.${i}\nrequests==2.${20 + i}.0\n`;
  }
  return files;
}

const ADVISORIES: OsvRecord[] = [
  advisory('BENCH-LODASH', 'npm', 'lodash', '4.17.21'),
  advisory('BENCH-DJANGO', 'PyPI', 'django', '3.2.25'),
];

function advisory(id: string, ecosystem: string, name: string, fixed: string): OsvRecord {
  return {
    id,
    modified: '2026-01-01T00:00:00Z',
    summary: `benchmark advisory for ${name}`,
    affected: [
      {
        package: { ecosystem, name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  };
}

function activityType(): string {
  try {
    return Context.current().info.activityType;
  } catch {
    return '(outside any activity)';
  }
}

async function main(): Promise<void> {
  // An instance with every credential source configured: GitHub App and orgs' stored tokens.
  const options = {
    name: 'bench-scan-queries',
    advisories: ADVISORIES,
    quietWindowMs: 1,
    maxWaitMs: 1_000,
    encryptionKey: Buffer.alloc(32, 7).toString('base64'),
    withGithubApp: true,
  };
  await withScanHarness(options, async (harness) => {
    const counts = new Map<string, number>();
    let counting = false;
    const knex = harness.orm.em.getConnection().getKnex() as Knex;
    knex.on('query', (query: { sql: string }) => {
      if (!counting) return;
      const type = activityType();
      counts.set(type, (counts.get(type) ?? 0) + 1);
      if (SHOW_SQL) console.log(`${type}: ${query.sql.slice(0, 160)}`);
    });
    const repo = await harness.github.createRepo('bench', 'twenty');
    await repo.commit(repositoryFiles(), 'twenty manifests');
    const target = await harness.connectRepo('bench', 'twenty');
    counting = true;
    await harness.request(target);
    const result = await harness.waitForScan(target);
    counting = false;
    if (result.phase !== 'COMPLETED') throw new Error(`the scan ended ${result.phase}: ${result.errorCode}`);

    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    console.log(
      `RepoGuard scan queries on ${process.version}: one scan of a ${MANIFESTS}-manifest repository ` +
        `(GitHub stand-in, GitHub App and encryption configured), counted at knex's query event`,
    );
    const width = Math.max(...[...counts.keys()].map((k) => k.length));
    for (const [type, n] of [...counts.entries()].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${type.padEnd(width)}  ${String(n).padStart(5)}`);
    }
    console.log(`  ${'total'.padEnd(width)}  ${String(total).padStart(5)}`);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
