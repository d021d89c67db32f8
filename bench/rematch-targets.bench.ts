// npm run bench:rematch-targets — finding the repositories that 1,000 changed advisories concern,
// among 10,000 repositories of 200 dependencies each (issue 21, target < 1 s). The name join that
// ran before `snapshot_package_keys` ("before") and the keyed lookup ("after") are timed in turns
// on the same data in one run, BENCH_RUNS times each (default 5); their target counts must agree.
// The data is seeded once per database (BENCH_DATABASE_URL) by SQL bulk inserts and kept.
import { performance } from 'node:perf_hooks';
import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig, SqlRematchTargetFinder } from '@repoguard/infrastructure';
import { rematchTargetsBefore } from '../libs/infrastructure/src/osv/rematch-targets-before.test-helper';
import { median, prepareBenchServices } from './bench-util';
import { seedRepositories, type Execute } from './repository-seed';

const REPOSITORIES = 10_000;
const DEPENDENCIES = 200;
const ORGS = 100;
// Repositories whose older snapshot (200 dependencies more) is no longer their latest.
const WITH_OLDER_SNAPSHOT = 1_000;
// Distinct names per ecosystem: each name is held by about 30 repositories.
const NAME_POOL = 50_000;
const CHANGED = 1_000;
const CHANGED_MATCHING = 100;
// Advisories imported before the sync: the mirror is not only what changed.
const UNCHANGED = 20_000;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const SEED_MARK = 'bench-rematch-targets';

async function seeded(execute: Execute): Promise<boolean> {
  // The seed's last write, in the seed's one transaction.
  const [row] = (await execute(
    `select count(*)::int as n from organizations where slug = ? and deleted_at is not null`,
    [`${SEED_MARK}-1`],
  )) as { n: number }[];
  return row!.n === 1;
}

async function seed(execute: Execute): Promise<void> {
  const started = performance.now();
  await seedRepositories(execute, {
    mark: SEED_MARK,
    orgs: ORGS,
    repositories: REPOSITORIES,
    dependencies: DEPENDENCIES,
    namePool: NAME_POOL,
    withOlderSnapshot: WITH_OLDER_SNAPSHOT,
    // A failed scan, then completed ones: the older snapshot where there is one, then the latest
    // twice (a re-match re-uses it).
    scans: [
      ['FAILED', 1],
      ['COMPLETED', 0],
      ['COMPLETED', 1],
      ['COMPLETED', 1],
    ],
  });
  // A few repositories disabled, one org deleted: both left out by both queries.
  await execute(
    `update repositories set disabled_at = now() where owner = ? and substr(name, 6)::int % 97 = 0`,
    [SEED_MARK],
  );
  await execute(`update organizations set deleted_at = now() where slug = ?`, [`${SEED_MARK}-1`]);
  await execute(
    `insert into mirrored_advisories (id, modified, record, imported_at)
     select 'BENCH-OLD-' || a, now(), '{}'::jsonb, now() - interval '30 days' from generate_series(1, ?) a`,
    [UNCHANGED],
  );
  await execute(
    `insert into mirrored_advisory_packages (ecosystem, name, advisory_id)
     select case when a % 2 = 0 then 'npm' else 'PyPI' end, 'pkg-' || (a * 13 % ?), 'BENCH-OLD-' || a
       from generate_series(1, ?) a`,
    [NAME_POOL, UNCHANGED],
  );
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** 1,000 advisories written now, 100 naming held packages, 900 naming none; returns their stamp. */
async function changeAdvisories(execute: Execute): Promise<string> {
  await execute(`delete from mirrored_advisories where id like 'BENCH-NEW-%'`);
  await execute(`delete from mirrored_advisory_packages where advisory_id like 'BENCH-NEW-%'`);
  const [stamp] = (await execute(`select now()::text as now`)) as { now: string }[];
  await execute(
    `insert into mirrored_advisories (id, modified, record, imported_at)
     select 'BENCH-NEW-' || a, now(), '{}'::jsonb, now() from generate_series(1, ?) a`,
    [CHANGED],
  );
  await execute(
    `insert into mirrored_advisory_packages (ecosystem, name, advisory_id)
     select case when a % 2 = 0 then 'npm' else 'PyPI' end,
            case when a <= ? then 'pkg-' || (a * 487 % ?) else 'absent-' || a end,
            'BENCH-NEW-' || a
       from generate_series(1, ?) a`,
    [CHANGED_MATCHING, NAME_POOL, CHANGED],
  );
  // As autovacuum leaves a table that is written every scan: statistics fresh and the visibility map
  // set, so index-only scans read no heap (a bulk insert leaves it unset, which no server keeps long).
  await execute(`vacuum analyze`);
  return stamp!.now;
}

async function main(): Promise<void> {
  const databaseUrl = await prepareBenchServices();
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  try {
    const execute: Execute = (sql, params = []) => orm.em.getConnection().execute(sql, params);
    if (!(await seeded(execute)))
      // One transaction: a seed cut short leaves nothing that looks seeded.
      await orm.em.transactional(async (em) => {
        const trx = em.getTransactionContext();
        await seed((sql, params = []) => em.getConnection().execute(sql, params, 'all', trx));
      });
    const writtenAt = await changeAdvisories(execute);
    const finder = new SqlRematchTargetFinder(orm.em);
    const variants = {
      before: () => rematchTargetsBefore(execute, 'a.imported_at >= ?::timestamptz', [writtenAt]),
      after: () => finder.affectedSince(writtenAt),
    };
    const samples: Record<keyof typeof variants, number[]> = { before: [], after: [] };
    const counts: Record<keyof typeof variants, number[]> = { before: [], after: [] };
    let sameTargets = true;
    // In turns, so both see the same load on a shared machine.
    for (let run = 0; run < RUNS; run++) {
      const found: Record<string, string> = {};
      for (const name of ['before', 'after'] as const) {
        const started = performance.now();
        const targets = await variants[name]();
        samples[name].push(performance.now() - started);
        counts[name].push(targets.length);
        found[name] = JSON.stringify(targets);
      }
      sameTargets &&= found['before'] === found['after'];
    }
    console.log(
      `RepoGuard re-match targets on ${process.version}: ${REPOSITORIES} repositories x ${DEPENDENCIES} ` +
        `dependencies (${WITH_OLDER_SNAPSHOT} with an older snapshot), ${CHANGED} changed advisories ` +
        `(${CHANGED_MATCHING} naming held packages), ${RUNS} runs each`,
    );
    for (const name of ['before', 'after'] as const) {
      const ms = samples[name].map((s) => s.toFixed(0)).join(', ');
      console.log(
        `  ${name.padEnd(6)}  median ${median(samples[name]).toFixed(0).padStart(6)} ms  ` +
          `targets ${counts[name][0]}  (runs: ${ms} ms)`,
      );
    }
    const verdict = median(samples.after) < 1_000 ? 'met' : 'MISSED';
    console.log(`  target: after < 1000 ms: ${verdict}; same targets in every run: ${sameTargets}`);
    if (!sameTargets) process.exitCode = 1;
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
