// npm run bench:pr-check — issue 19's benchmark: a pull-request check on a repository with a
// 2,000-dependency package-lock.json (v3), from the signed `pull_request` delivery to the check run
// completed on GitHub. Real API process, worker, Temporal dev server and PostgreSQL; the GitHub
// stand-in (real git, the App's installation, its Checks API) runs in this process, as the e2e
// tests run it, so its git's cost is inside the numbers.
//
//   BENCH_PRS (default 30)  pull requests, checked one after another, each changing the lock file:
//                           even ones add a package an advisory names (check `failure`, one
//                           annotation), odd ones bump a package no advisory names (`success`)
//   BENCH_DATABASE_URL      default postgresql://postgres@127.0.0.1:5432/repoguard_bench
//
// A check's latency: just before the delivery is sent, to the first poll (every 20 ms) of the
// stand-in that finds the head's check run completed. The quiet window is 1 ms (production waits
// SCAN_QUIET_WINDOW_MS on top). Breakdown from the check row: delivery to its requested_at (the
// API records it), then to the run seen completed (the workflow: compare, then publish; the row's
// completed_at is written after the publish, so it marks no step of its own).
import { performance } from 'node:perf_hooks';
import { DEFAULT_TEMPORAL_NAMESPACE } from '@repoguard/contract';
import { parseManifest, type OsvRecord } from '@repoguard/domain';
import { buildSyntheticPackageLock } from '../test/fixtures/generators/package-lock.generator';
import { startLocalTemporal } from '../test/support/local-temporal';
import { PullRequestWorld, until, type ConnectedRepo } from '../test/support/pull-request-world';
import { prepareBenchServices, quantile } from './bench-util';

const PRS = positive('BENCH_PRS', 30);
const DEPENDENCIES = 2_000;
/** Packages of the base lock file named by an advisory: findings of the base scan. */
const BASE_VULNERABLE = 20;

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0`);
  return value;
}

const advisory = (id: string, name: string, fixed: string): OsvRecord => ({
  id,
  modified: '2026-01-01T00:00:00Z',
  summary: `benchmark advisory for ${name}`,
  database_specific: { severity: 'HIGH' },
  affected: [
    {
      package: { ecosystem: 'npm', name },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
    },
  ],
});

const addedPackage = (pr: number) => `rg-bench-pr-${pr}`;

interface LockFile {
  packages: Record<string, Record<string, unknown>>;
}

/** The base lock file with one change: pull request `pr` adds a vulnerable package or bumps a safe one. */
function changedLock(base: string, pr: number, bumpable: readonly string[]): string {
  const lock = JSON.parse(base) as LockFile;
  if (pr % 2 === 0) {
    const name = addedPackage(pr);
    lock.packages[`node_modules/${name}`] = {
      version: '1.0.0',
      resolved: `https://registry.npmjs.org/${name}/-/${name}-1.0.0.tgz`,
      license: 'MIT',
    };
  } else {
    const key = `node_modules/${bumpable[pr % bumpable.length]}`;
    lock.packages[key] = { ...lock.packages[key], version: `9.${pr}.0` };
  }
  return `${JSON.stringify(lock, null, 2)}\n`;
}

interface Sample {
  readonly pr: number;
  readonly totalMs: number;
  readonly apiMs: number;
  readonly workflowMs: number;
  readonly conclusion: string | null;
}

async function checkOnePullRequest(
  world: PullRequestWorld,
  target: ConnectedRepo,
  base: string,
  bumpable: readonly string[],
  pr: number,
): Promise<Sample> {
  const branch = `bench-${pr}`;
  await target.repo.createBranch(branch, 'main');
  const head = await target.repo.commit(
    { 'package-lock.json': changedLock(base, pr, bumpable) },
    `change ${pr}`,
    branch,
  );
  const payload = await world.pullRequestPayload(target, 'opened', {
    number: pr,
    headSha: head,
    headRef: branch,
  });
  const sentAt = Date.now();
  const started = performance.now();
  const answer = await world.deliver('pull_request', payload);
  if (answer.status !== 202 || answer.body.handled !== true)
    throw new Error(`delivery ${pr}: ${answer.status} ${JSON.stringify(answer.body)}`);
  const run = await until(
    `pull request ${pr}'s check run`,
    () => world.github.checkRuns(target.fullName).find((r) => r.headSha === head && r.status === 'completed'),
    { deadlineMs: 120_000, everyMs: 20 },
  );
  const totalMs = performance.now() - started;
  const row = (await world.stack.harness.orm.em
    .getKnex()('pull_request_checks')
    .where({ id: run.externalId })
    .first('requested_at')) as { requested_at: string };
  const apiMs = Date.parse(row.requested_at) - sentAt;
  return { pr, totalMs, apiMs, workflowMs: totalMs - apiMs, conclusion: run.conclusion };
}

function line(label: string, values: readonly number[]): string {
  const f = (v: number) => `${v.toFixed(0).padStart(6)} ms`;
  return `  ${label.padEnd(34)} p50 ${f(quantile(values, 0.5))}  p90 ${f(quantile(values, 0.9))}  max ${f(Math.max(...values))}`;
}

async function main(): Promise<void> {
  await prepareBenchServices();
  const temporal = await startLocalTemporal();
  process.env['TEMPORAL_ADDRESS'] = temporal.address;
  process.env['TEMPORAL_NAMESPACE'] = DEFAULT_TEMPORAL_NAMESPACE;
  const base = buildSyntheticPackageLock(DEPENDENCIES);
  const locked = parseManifest('package-lock.json', base).dependencies;
  const vulnerable = locked.slice(0, BASE_VULNERABLE);
  const bumpable = locked.slice(BASE_VULNERABLE + 100, BASE_VULNERABLE + 200).map((d) => d.name);
  const advisories = [
    ...vulnerable.map((d, i) => advisory(`BENCH-PR-BASE-${i}`, d.name, '999.0.0')),
    // One per pull request that adds a package (numbers start at 1, as GitHub's do).
    ...Array.from({ length: PRS + 1 }, (_, i) => advisory(`BENCH-PR-${i + 1}`, addedPackage(i + 1), '1.0.1')),
  ];
  try {
    const world = await PullRequestWorld.start({
      name: 'bench-pr-check',
      advisories,
      env: { SCAN_QUIET_WINDOW_MS: '1', LOG_LEVEL: 'error' },
    });
    try {
      console.log(
        `RepoGuard pull-request check benchmark on ${process.version}: API process, worker, Temporal dev server, ` +
          `PostgreSQL, GitHub stand-in (App installation, Checks API), OSV stand-in`,
      );
      const target = await world.appRepo('big', { 'package-lock.json': base });
      const samples: Sample[] = [];
      // Pull request 1 warms the worker's workflow cache and the API's paths; it is not counted.
      for (let pr = 1; pr <= PRS + 1; pr++) {
        const sample = await checkOnePullRequest(world, target, base, bumpable, pr);
        const expected = pr % 2 === 0 ? 'failure' : 'success';
        if (sample.conclusion !== expected)
          throw new Error(`pull request ${pr} ended ${sample.conclusion}, expected ${expected}`);
        if (pr > 1) samples.push(sample);
      }
      console.log(
        `  ${DEPENDENCIES} dependencies (${BASE_VULNERABLE} vulnerable on the base), ${samples.length} pull requests ` +
          `one after another, each changing package-lock.json (failure and success alternately):`,
      );
      console.log(
        line(
          'webhook delivery to check completed',
          samples.map((s) => s.totalMs),
        ),
      );
      console.log(
        line(
          '  delivery to check row requested',
          samples.map((s) => s.apiMs),
        ),
      );
      console.log(
        line(
          '  check row requested to run seen',
          samples.map((s) => s.workflowMs),
        ),
      );
    } finally {
      await world.close();
    }
  } finally {
    await temporal.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
