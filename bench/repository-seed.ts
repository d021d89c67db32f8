// Repositories with stored snapshots and scans, written by SQL bulk inserts as the stores would
// write them: for benchmarks at a scale that scanning each repository for real would take hours to
// reach. A re-match reads what the seed writes (the latest COMPLETED scan's snapshot, its
// dependencies and package keys), so a sync can re-match seeded repositories.
import { performance } from 'node:perf_hooks';
import { normalizePackageName } from '@repoguard/domain';

export type Execute = (sql: string, params?: unknown[]) => Promise<unknown>;

export interface RepositorySeed {
  /** The org slugs' prefix (`<mark>-<n>`, n from 1) and the repositories' owner. */
  readonly mark: string;
  readonly orgs: number;
  /** Named `repo-<n>` (n from 1), in org `<mark>-<1 + n % orgs>`. */
  readonly repositories: number;
  /** Per snapshot: `pkg-<k>` at 1.0.0, every fourth in PyPI, the others in npm. */
  readonly dependencies: number;
  /** Distinct names `pkg-<k>` (k below it) per ecosystem. */
  readonly namePool: number;
  /** Repositories 1 to this also get an older snapshot (generation 0) besides the latest (1). */
  readonly withOlderSnapshot: number;
  /**
   * Each repository's scans, in start order (`start_seq` follows the inserts): status, and the
   * generation of the snapshot it read (no scan where the repository has no such snapshot).
   */
  readonly scans: readonly (readonly ['COMPLETED' | 'FAILED', 0 | 1])[];
}

/** Writes the orgs, repositories, snapshots, dependencies, package keys and scans; logs each step. */
export async function seedRepositories(execute: Execute, seed: RepositorySeed): Promise<void> {
  const { mark } = seed;
  // Names `pkg-<n>` in npm and PyPI: keys as the domain writes them, so SQL can write the keys too.
  for (let n = 0; n < seed.namePool; n++)
    for (const ecosystem of ['npm', 'PyPI'] as const)
      if (normalizePackageName(ecosystem, `pkg-${n}`) !== `pkg-${n}`)
        throw new Error(`pkg-${n} is not a key`);
  const started = performance.now();
  const step = (label: string) =>
    console.log(`  seed: ${label} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await execute(
    `insert into organizations (id, name, slug)
     select gen_random_uuid(), 'bench ' || o, ? || '-' || o from generate_series(1, ?) o`,
    [mark, seed.orgs],
  );
  await execute(
    `insert into repositories (id, org_id, owner, name, default_branch)
     select gen_random_uuid(), (select id from organizations where slug = ? || '-' || (1 + r % ?)), ?, 'repo-' || r, 'main'
       from generate_series(1, ?) r`,
    [mark, seed.orgs, mark, seed.repositories],
  );
  await execute(
    `insert into dependency_snapshots (id, org_id, repo_id, commit_sha, manifests)
     select gen_random_uuid(), r.org_id, r.id, md5(r.id::text || g), '[]'::jsonb
       from repositories r cross join generate_series(0, 1) g
      where r.owner = ? and (g = 1 or substr(r.name, 6)::int <= ?)`,
    [mark, seed.withOlderSnapshot],
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
    [mark, seed.dependencies, seed.namePool],
  );
  step('dependencies');
  // The names are keys already (checked above): the keys the store would write, by SQL.
  await execute(
    `insert into snapshot_package_keys (snapshot_id, ecosystem, name_key)
     select distinct d.snapshot_id, d.ecosystem, d.name
       from dependencies d join dependency_snapshots s on s.id = d.snapshot_id
       join repositories r on r.id = s.repo_id and r.owner = ?
     on conflict do nothing`,
    [mark],
  );
  step('package keys');
  for (const [status, generation] of seed.scans)
    await execute(
      `insert into scans (id, org_id, repo_id, workflow_id, run_id, trigger, snapshot_id, status, phase_timings, counts, started_at, completed_at)
       select gen_random_uuid(), s.org_id, s.repo_id, 'repo-scan:' || s.repo_id, gen_random_uuid()::text, 'push', s.id, ?, '{}', '{}', now(), now()
         from dependency_snapshots s join repositories r on r.id = s.repo_id and r.owner = ?
        where s.commit_sha = md5(s.repo_id::text || ?)`,
      [status, mark, generation],
    );
  step('scans');
}
