// npm run bench:rematch-targets — finding the repositories that 1,000 changed advisories concern,
// among 10,000 repositories of 200 dependencies each (issue 21, target < 1 s). The name join that
// ran before `snapshot_package_keys` ("before") and the keyed lookup ("after") are timed in turns
// on the same data in one run, BENCH_RUNS times each (default 5); their target counts must agree.
// The data is seeded once per database (BENCH_DATABASE_URL) by SQL bulk inserts and kept.
import { performance } from 'node:perf_hooks';
import { MikroORM } from '@mikro-orm/postgresql';
import { normalizePackageName } from '@repoguard/domain';
import { createMikroOrmConfig, SqlRematchTargetFinder } from '@repoguard/infrastructure';
import { rematchTargetsBefore } from '../libs/infrastructure/src/osv/rematch-targets-before.test-helper';
import { median, prepareBenchServices } from './bench-util';

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

type Execute = (sql: string, params?: unknown[]) => Promise<unknown>;

async function seeded(execute: Execute): Promise<boolean> {
  // The seed's last write, in the seed's one transaction.
  const [row] = (await execute(
    `select count(*)::int as n from organizations where slug = ? and deleted_at is not null`,
    [`${SEED_MARK}-1`],
  )) as { n: number }[];
  return row!.n === 1;
}

async function seed(execute: Execute): Promise<void> {
  // Names `pkg-<n>` in npm and PyPI: keys as the domain writes them, so SQL can write the keys too.
  for (let n = 0; n < NAME_POOL; n++)
    for (const ecosystem of ['npm', 'PyPI'] as const)
      if (normalizePackageName(ecosystem, `pkg-${n}`) !== `pkg-${n}`)
        throw new Error(`pkg-${n} is not a key`);
  const started = performance.now();
  const step = (label: string) =>
    console.log(`  seed: ${label} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await execute(
    `insert into organizations (id, name, slug)
     select gen_random_uuid(), 'bench ' || o, ? || '-' || o from generate_series(1, ?) o`,
    [SEED_MARK, ORGS],
  );
  await execute(
    `insert into repositories (id, org_id, owner, name, default_branch)
     select gen_random_uuid(), (select id from organizations where slug = ? || '-' || (1 + r % ?)), ?, 'repo-' || r, 'main'
       from generate_series(1, ?) r`,
    [SEED_MARK, ORGS, SEED_MARK, REPOSITORIES],
  );
  // Every repository's latest snapshot (generation 1); some also an older one (generation 0).
  await execute(
    `insert into dependency_snapshots (id, org_id, repo_id, commit_sha, manifests)
     select gen_random_uuid(), r.org_id, r.id, md5(r.id::text || g), '[]'::jsonb
       from repositories r cross join generate_series(0, 1) g
      where r.owner = ? and (g = 1 or substr(r.name, 6)::int <= ?)`,
    [SEED_MARK, WITH_OLDER_SNAPSHOT],
  );
  await execute(
    `insert into dependencies (id, org_id, snapshot_id, ecosystem, name, version, scope, direct, manifest_path, purl)
     select gen_random_uuid(), s.org_id, s.id, e.ecosystem, e.name, '1.0.0', 'runtime', d <= 20, 'lock', 'pkg:x/' || e.name
       from dependency_snapshots s
       join repositories r on r.id = s.repo_id and r.owner = ?
       cross join generate_series(1, ?) d
       cross join lateral (
         select case when d % 4 = 0 then 'PyPI' else 'npm' end as ecosystem,
                'pkg-' || ((substr(r.name, 6)::int * 7919 + d * 104729 + (s.commit_sha = md5(s.repo_id::text || 0))::int * 31) % ?) as name
       ) e`,
    [SEED_MARK, DEPENDENCIES, NAME_POOL],
  );
  step('dependencies');
  // The names are keys already (checked above): the keys the store would write, by SQL.
  await execute(
    `insert into snapshot_package_keys (snapshot_id, ecosystem, name_key)
     select distinct d.snapshot_id, d.ecosystem, d.name
       from dependencies d join dependency_snapshots s on s.id = d.snapshot_id
       join repositories r on r.id = s.repo_id and r.owner = ?
     on conflict do nothing`,
    [SEED_MARK],
  );
  step('package keys');
  // A failed scan, then completed ones in start order (start_seq follows started_at's writes):
  // the older snapshot where there is one, then the latest twice (a re-match re-uses it).
  for (const [status, generation] of [
    ['FAILED', 1],
    ['COMPLETED', 0],
    ['COMPLETED', 1],
    ['COMPLETED', 1],
  ] as const)
    await execute(
      `insert into scans (id, org_id, repo_id, workflow_id, run_id, trigger, snapshot_id, status, phase_timings, counts, started_at, completed_at)
       select gen_random_uuid(), s.org_id, s.repo_id, 'repo-scan:' || s.repo_id, gen_random_uuid()::text, 'push', s.id, ?, '{}', '{}', now(), now()
         from dependency_snapshots s join repositories r on r.id = s.repo_id and r.owner = ?
        where s.commit_sha = md5(s.repo_id::text || ?)`,
      [status, SEED_MARK, generation],
    );
  step('scans');
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
