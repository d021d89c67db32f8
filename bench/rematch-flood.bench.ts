// npm run bench:rematch-flood — issue 16's acceptance run: an advisory sync re-matches every stored
// repository while pushes arrive to them. Real Temporal dev server, PostgreSQL and worker (the
// harness's two queues, as production polls them), GitHub stand-in; advisories from the mirror.
// The stand-in runs in a child process (its git would otherwise stall this event loop, the
// worker's), and every repository is created there before the first scan is requested.
//
//   BENCH_REPOS (default 1000)         repositories scanned once, then all re-matched by the sync
//   BENCH_PUSHES (default 100)         pushes measured without the sync, and again during it
//   BENCH_PUSH_INTERVAL_MS (default 300) spacing of the pushes (both phases alike): wide enough that
//                                      pushes alone do not queue behind each other on a small machine
//   BENCH_SETUP_CONCURRENCY (default 16) first scans at once while setting up (more only queue at
//                                      the GitHub stand-in, whose answers then time out on a busy machine)
//   BENCH_DATABASE_URL                 default postgresql://postgres@127.0.0.1:5432/repoguard_bench
//   BENCH_REMATCH_PROCESS=1            a third phase: a second sync whose re-match steps run in a
//                                      worker process of their own (the worker app with
//                                      WORKER_QUEUES=rematch), as a deployment with re-match workers
//   BENCH_REMATCH_NICE (default 10)    that process's WORKER_NICE
//   BENCH_UNTRACED=1                   the same before/after, with this tree's workflows bundled
//                                      without the tracing interceptors, then as production bundles them
//   BENCH_PACING=1                     the same before/after, both with the untraced bundle: a sync
//                                      that asks for every re-match at once (REMATCH_OPEN_LIMIT=0),
//                                      then one that keeps REMATCH_OPEN_LIMIT (default 10) open
//   BENCH_OPEN_LIMIT (default 10)      the paced phase's REMATCH_OPEN_LIMIT
//   BENCH_BASELINE_REF=<commit>        before/after in one run: both phases first with the workflows
//                                      of <commit> (bundled from a git worktree of it; this tree's
//                                      activities), then with this tree's, on fresh repositories each
//                                      time, and a table of both (BENCH_REPOS >= 10 x BENCH_PUSHES)
//
// Phases: pushes without a sync; pushes during a sync whose re-match steps run in the scan worker's
// process (WORKER_QUEUES=all, the default deployment: re-match steps stand back while a push's run);
// optionally the third above.
//
// A push's latency: its request to its scan row COMPLETED (scans.completed_at), quiet window
// included. Every push adds a package an existing advisory names, so its scan opens a finding; a
// re-match of an older snapshot (which lacks that package) persisted after it marks the finding
// fixed: each pushed repository whose finding is not open at the end is a violation (must be 0).
// During the sync each push is aimed, in turn, at a repository whose re-match is running (the push
// must not wait behind it) and at one whose re-match has not begun, last in the sync's order first
// (its snapshot is now older than the push: the case that overwrote findings before issue 16).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SYNC_ADVISORIES_WORKFLOW,
  type SyncAdvisoriesInput,
  type SyncAdvisoriesResult,
} from '@repoguard/contract';
import type { OsvRecord, ScanTarget } from '@repoguard/domain';
import { temporal } from '@temporalio/proto';
import { bundleWorkflows } from '@repoguard/infrastructure';
import { packageLockV3 } from '../test/support/manifest-fixtures';
import { startApp } from '../test/support/processes';
import type { ScanHarness } from '../test/support/scan-harness';
import { advisoryOn, positiveEnv, quantile } from './bench-util';
import { startGithubStandInProcess, type GithubStandInProcess } from './github-stand-in-process';
import { withScanHarness } from './scan-bench-harness';

const REPOS = positiveEnv('BENCH_REPOS', 1000);
const PUSHES = positiveEnv('BENCH_PUSHES', 100);
const PUSH_INTERVAL_MS = positiveEnv('BENCH_PUSH_INTERVAL_MS', 300);
// No quiet window: a push's latency is its scan's work and queueing. (A 1 ms window still starts a
// timer, and the dev server fires it about a second later in both phases, which hid the ratio.)
const QUIET_WINDOW_MS = 0;
const SETUP_CONCURRENCY = positiveEnv('BENCH_SETUP_CONCURRENCY', 16);
const REMATCH_NICE = Number(process.env['BENCH_REMATCH_NICE'] ?? 10);
const PACING = process.env['BENCH_PACING'] === '1';
const OPEN_LIMIT = positiveEnv('BENCH_OPEN_LIMIT', 10);
const BASELINE_REF =
  process.env['BENCH_BASELINE_REF'] ||
  (process.env['BENCH_UNTRACED'] === '1' ? 'untraced' : PACING ? 'all at once' : null);

const run = randomUUID().slice(0, 8);
/** Every repository depends on it; the sync's new advisory names it, so the sync re-matches all. */
const TARGET = `rg-flood-target-${run}`;
/** Added by each push; named by an advisory known from the start, so a push scan opens a finding. */
const PUSHED = `rg-flood-pushed-${run}`;
const PUSHED_ADVISORY = advisoryOn(`RG-FLOOD-PUSHED-${run}`, 'npm', PUSHED, '2026-01-01T00:00:00Z');
/** The sync of each flood phase writes one new advisory naming TARGET: every repository is re-matched. */
const newAdvisory = (phase: number): OsvRecord =>
  advisoryOn(`RG-FLOOD-NEW-${run}-${phase}`, 'npm', TARGET, '2026-11-30T00:00:00Z');

interface Repo {
  readonly name: string;
  readonly target: ScanTarget;
  readonly commit: (files: Record<string, string>, message: string) => Promise<string>;
}

/** What the repository was doing when the push was requested. */
type PushAim = 'no sync' | 're-match running' | 're-match not begun' | 're-match done';

interface PushTiming {
  readonly repo: Repo;
  readonly aim: PushAim;
  /** Epoch milliseconds, taken just before the request. */
  readonly requestedAt: number;
  readonly latencyMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `work` on every item, at most `concurrency` at a time (a slow one holds up only its own lane). */
async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

async function query<T>(harness: ScanHarness, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await harness.orm.em.getConnection().execute(sql, params)) as T[];
}

/**
 * The pushes' commits, made before any is requested: the stand-in commits with synchronous git,
 * which would hold up its answers to the scans being measured.
 */
async function commitPushes(repos: readonly Repo[]): Promise<string[]> {
  const commits: string[] = [];
  for (const [i, repo] of repos.entries())
    commits.push(
      await repo.commit(
        { 'package-lock.json': packageLockV3({ [TARGET]: '1.0.0', [PUSHED]: '1.0.0', lodash: '4.17.21' }) },
        `push ${i}`,
      ),
    );
  return commits;
}

/** The next repository to push to, and what it was doing then; undefined when none is left. */
type NextPush = (pushed: number) => Promise<{ index: number; aim: PushAim } | undefined>;

/**
 * Requests `count` pushes, `PUSH_INTERVAL_MS` apart, to the repositories `next` picks; resolves
 * when every push's scan completed.
 */
async function pushAll(
  harness: ScanHarness,
  repos: readonly Repo[],
  commits: readonly string[],
  count: number,
  next: NextPush,
): Promise<PushTiming[]> {
  const pushes: Push[] = [];
  let requesting = true;
  const completed = waitForPushScans(harness, pushes, () => requesting);
  // Returned below; a failure while pushes are still being requested must not go unhandled meanwhile.
  completed.catch(() => undefined);
  try {
    for (let n = 0; n < count; n++) {
      const picked = await next(n);
      if (!picked) break;
      const repo = repos[picked.index]!;
      const sha = commits[picked.index]!;
      const requestedAt = Date.now();
      await harness.request(repo.target, {
        trigger: 'push',
        commitSha: sha,
        ref: 'refs/heads/main',
        deliveryId: `bench-${run}-${repo.name}`,
      });
      pushes.push({ repo, sha, requestedAt, aim: picked.aim });
      await sleep(PUSH_INTERVAL_MS);
    }
  } finally {
    requesting = false;
  }
  return completed;
}

/** Pushes to the repositories in order (no sync running). */
const inOrder =
  (total: number): NextPush =>
  async (n) =>
    n < total ? { index: n, aim: 'no sync' } : undefined;

/**
 * Aims pushes, in turn, at a candidate whose re-match is running and at one collected as a target
 * whose re-match has not begun (no scan row yet); the other kind when one is missing, and any
 * candidate once the sync left none of either.
 */
function aimedAtRematches(
  harness: ScanHarness,
  syncWorkflowId: string,
  candidates: readonly Repo[],
): NextPush {
  const unpushed = new Map(candidates.map((repo, index) => [repo.target.repoId, index]));
  const take = (repoId: string, aim: PushAim) => {
    const index = unpushed.get(repoId)!;
    unpushed.delete(repoId);
    return { index, aim };
  };
  return async (n) => {
    if (unpushed.size === 0) return undefined;
    const ids = [...unpushed.keys()].join(',');
    const [running] = await query<{ repo_id: string }>(
      harness,
      `select s.repo_id from scans s where s.trigger = 'advisory' and s.status in ('MATCHING', 'PERSISTING', 'EVALUATING')
          and s.repo_id = any(string_to_array(?, ',')::uuid[]) limit 1`,
      [ids],
    );
    // Last in the sync's order first: right after the targets are collected, its request is not
    // even sent yet, so the push lands before it.
    const [waiting] = await query<{ repo_id: string }>(
      harness,
      `select t.repo_id from advisory_rematch_targets t
          where t.sync_run_id like ? and t.repo_id = any(string_to_array(?, ',')::uuid[])
            and not exists (select 1 from scans s where s.repo_id = t.repo_id and s.trigger = 'advisory'
              and s.requested_by like ?)
          order by t.seq desc limit 1`,
      // This sync's re-matches only: an earlier phase's sync re-matched every repository too.
      [`${syncWorkflowId}%`, ids, `${syncWorkflowId}%`],
    );
    const first = n % 2 === 0 ? running : waiting;
    const second = n % 2 === 0 ? waiting : running;
    if (first) return take(first.repo_id, first === running ? 're-match running' : 're-match not begun');
    if (second) return take(second.repo_id, second === running ? 're-match running' : 're-match not begun');
    return take(unpushed.keys().next().value!, 're-match done');
  };
}

interface Push {
  readonly repo: Repo;
  readonly aim: PushAim;
  readonly sha: string;
  /** Epoch milliseconds, taken just before the request. */
  readonly requestedAt: number;
}

/**
 * One query every 100 ms for all pushes still unscanned (not one per push: a hundred pollers would
 * take the worker's own database connections, which the harness shares with this process).
 */
async function waitForPushScans(
  harness: ScanHarness,
  pushes: readonly Push[],
  requesting: () => boolean,
): Promise<PushTiming[]> {
  const timings = new Map<Push, PushTiming>();
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const open = pushes.filter((push) => !timings.has(push));
    if (open.length > 0) {
      const rows = await query<{
        repo_id: string;
        commit_sha: string;
        status: string;
        completed_at: Date | null;
      }>(
        harness,
        `select distinct on (s.repo_id) s.repo_id, s.commit_sha, s.status, s.completed_at
          from scans s join unnest(string_to_array(?, ',')::uuid[], string_to_array(?, ',')) as p(repo_id, sha)
            on s.repo_id = p.repo_id and s.commit_sha = p.sha
          where s.trigger = 'push' and s.status in ('COMPLETED', 'FAILED')
          order by s.repo_id, s.completed_at nulls last`,
        [open.map((p) => p.repo.target.repoId).join(','), open.map((p) => p.sha).join(',')],
      );
      for (const row of rows) {
        const push = open.find((p) => p.repo.target.repoId === row.repo_id && p.sha === row.commit_sha);
        if (!push) continue;
        if (row.status === 'FAILED') throw new Error(`the push scan of ${push.repo.name} failed`);
        if (!row.completed_at) continue;
        timings.set(push, {
          repo: push.repo,
          aim: push.aim,
          requestedAt: push.requestedAt,
          latencyMs: new Date(row.completed_at).getTime() - push.requestedAt,
        });
      }
    }
    if (!requesting() && timings.size === pushes.length) return pushes.map((push) => timings.get(push)!);
    if (Date.now() > deadline)
      throw new Error(`${pushes.length - timings.size} pushes not scanned within 30 minutes`);
    await sleep(100);
  }
}

function describe(label: string, timings: readonly PushTiming[]): string {
  const ms = timings.map((t) => t.latencyMs);
  return (
    `  ${label.padEnd(22)} p50 ${quantile(ms, 0.5).toFixed(0).padStart(7)} ms  p90 ${quantile(ms, 0.9).toFixed(0).padStart(7)} ms  ` +
    `max ${Math.max(...ms)
      .toFixed(0)
      .padStart(7)} ms  (${ms.length} pushes)`
  );
}

async function main(): Promise<void> {
  const syncPhases = (process.env['BENCH_REMATCH_PROCESS'] === '1' ? 2 : 1) * (BASELINE_REF ? 2 : 1);
  const quietPhases = BASELINE_REF ? 2 : 1;
  const needed = quietPhases + 4 * syncPhases;
  if (PUSHES * needed > REPOS)
    throw new Error(
      `BENCH_PUSHES: each phase without a sync takes as many repositories, each sync phase 4× as many; at most BENCH_REPOS / ${needed}`,
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-rematch-flood-'));
  const github = await startGithubStandInProcess();
  const options = {
    name: 'bench-rematch-flood',
    githubApiUrl: github.url,
    advisories: [PUSHED_ADVISORY],
    osvMode: 'mirror' as const,
    quietWindowMs: QUIET_WINDOW_MS,
    maxWaitMs: 1_000,
  };
  try {
    await withScanHarness(options, (harness) =>
      // Printed here: once the harness closes, a lane still waiting on its client can crash the
      // process (gRPC's "Channel has been shut down") before `main` reports the cause.
      flood(harness, github, dir).catch((error: unknown) => {
        console.error(error);
        throw error;
      }),
    );
  } finally {
    await github.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function flood(harness: ScanHarness, github: GithubStandInProcess, dir: string): Promise<void> {
  console.log(
    `RepoGuard re-match flood on ${process.version}: ${REPOS} repositories, ${PUSHES} pushes per phase ` +
      `${PUSH_INTERVAL_MS} ms apart (Temporal dev server, PostgreSQL, GitHub stand-in, advisory mirror)`,
  );
  const setupStarted = performance.now();
  const repos = await createRepos(harness, github);
  const created = performance.now();
  await inPool(repos, SETUP_CONCURRENCY, async (repo) => {
    await harness.request(repo.target);
    const result = await harness.waitForScan(repo.target);
    if (result.phase !== 'COMPLETED') throw new Error(`the first scan of ${repo.name} ended ${result.phase}`);
  });
  console.log(
    `  ${REPOS} repositories created and connected in ${((created - setupStarted) / 1000).toFixed(1)} s, ` +
      `scanned once in ${((performance.now() - created) / 1000).toFixed(1)} s (${SETUP_CONCURRENCY} at a time)`,
  );

  let violations = 0;
  if (BASELINE_REF) {
    // The same phases twice, each on repositories of its own: the workflows of the baseline commit,
    // then this tree's, both bundled as production bundles them.
    const bundles: { label: string; code: string; openLimit?: number }[] = PACING
      ? [
          { label: 'all at once', code: await bundleWorkflows({ tracing: false }), openLimit: 0 },
          {
            label: `${OPEN_LIMIT} open at most`,
            code: await bundleWorkflows({ tracing: false }),
            openLimit: OPEN_LIMIT,
          },
        ]
      : [
          {
            label: `before (${BASELINE_REF})`,
            code:
              BASELINE_REF === 'untraced'
                ? await bundleWorkflows({ tracing: false })
                : await workflowBundleAt(BASELINE_REF),
          },
          { label: 'after (this tree)', code: await bundleWorkflows() },
        ];
    const results: { label: string; quiet: PushTiming[]; flooded: PushTiming[] }[] = [];
    for (const [index, bundle] of bundles.entries()) {
      await harness.stopWorker();
      await harness.startWorker(undefined, {
        workflowBundleCode: bundle.code,
        ...(bundle.openLimit !== undefined ? { rematchOpenLimit: bundle.openLimit } : {}),
      });
      console.log(`  -- ${bundle.label}`);
      const offset = index * PUSHES * 5;
      const quiet = await quietPhase(harness, repos.slice(offset, offset + PUSHES));
      const synced = await syncPhase(
        harness,
        dir,
        index + 1,
        `re-match steps in the scan worker, ${bundle.label}`,
        repos,
        offset + PUSHES,
      );
      violations += quiet.violations + synced.violations;
      results.push({ label: bundle.label, quiet: quiet.timings, flooded: synced.flooded });
    }
    console.log('  push latency, request -> COMPLETED (ms), from this one run:');
    console.log(`    ${''.padEnd(26)} no sync p50    p90 | during sync p50    p90 | ratio p50`);
    for (const { label, quiet, flooded } of results) {
      const p = (timings: PushTiming[], q: number) =>
        quantile(
          timings.map((t) => t.latencyMs),
          q,
        );
      console.log(
        `    ${label.padEnd(26)} ${p(quiet, 0.5).toFixed(0).padStart(11)} ${p(quiet, 0.9).toFixed(0).padStart(6)} |` +
          ` ${p(flooded, 0.5).toFixed(0).padStart(15)} ${p(flooded, 0.9).toFixed(0).padStart(6)} |` +
          ` ${(p(flooded, 0.5) / p(quiet, 0.5)).toFixed(2).padStart(8)}×`,
      );
    }
  } else {
    const quiet = await quietPhase(harness, repos.slice(0, PUSHES));
    violations += quiet.violations;
    // With a sync, its re-match steps in this (the scan worker's) process: the default deployment.
    violations += (await syncPhase(harness, dir, 1, 're-match steps in the scan worker', repos, PUSHES))
      .violations;
  }
  if (process.env['BENCH_REMATCH_PROCESS'] === '1')
    violations += await inRematchProcess(harness, github, dir, repos);
  console.log(
    `  all phases: pushed findings fixed by an older snapshot, and repositories missing a new advisory's finding: ${violations} (must be 0)`,
  );
  if (violations > 0) process.exitCode = 2;
}

/** Pushes to `quietRepos` without a sync: the latency a push has on its own. */
async function quietPhase(
  harness: ScanHarness,
  quietRepos: readonly Repo[],
): Promise<{ timings: PushTiming[]; violations: number }> {
  const quiet = await pushAll(harness, quietRepos, await commitPushes(quietRepos), PUSHES, inOrder(PUSHES));
  for (const push of quiet) await harness.waitForScan(push.repo.target);
  console.log(describe('pushes, no sync', quiet));
  console.log(await phaseMedians(harness, 'push scans, no sync', quiet));
  console.log(await queueWaits(harness, 'push scans, no sync', quiet));
  return { timings: quiet, violations: await pushedNotOpen(harness, quiet) };
}

/**
 * The workflow bundle of an earlier commit, as bundleWorkflows builds it there: a git worktree of
 * the commit (sharing this tree's node_modules), bundled by its own code in a child process.
 */
async function workflowBundleAt(ref: string): Promise<string> {
  const root = path.resolve(__dirname, '..');
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-baseline-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, stdio: 'pipe' }).toString().trim();
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  git('worktree', 'add', '--detach', tree, commit);
  try {
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
    const out = path.join(tree, 'bundle.js');
    execFileSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        '-e',
        `require('./libs/infrastructure/src/temporal/workflow-bundler').bundleWorkflows()` +
          `.then((code) => require('node:fs').writeFileSync(${JSON.stringify(out)}, code))`,
      ],
      { cwd: tree, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    console.log(`  baseline workflows bundled from ${commit.slice(0, 12)} (${ref})`);
    return fs.readFileSync(out, 'utf8');
  } finally {
    git('worktree', 'remove', '--force', tree);
  }
}

/** A sync whose re-match steps run in a worker process of their own, at a lower CPU priority. */
async function inRematchProcess(
  harness: ScanHarness,
  github: GithubStandInProcess,
  dir: string,
  repos: readonly Repo[],
): Promise<number> {
  await harness.stopRematchWorker();
  // The worker app itself, as a deployment with re-match workers of their own runs it.
  const rematchWorker = startApp('apps/worker/src/main.ts', {
    DATABASE_URL: process.env['DATABASE_URL'],
    TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'],
    TEMPORAL_NAMESPACE: process.env['TEMPORAL_NAMESPACE'],
    TEMPORAL_TASK_QUEUE: harness.taskQueue,
    TEMPORAL_REMATCH_TASK_QUEUE: harness.rematchTaskQueue,
    OSV_MODE: 'mirror',
    OSV_API_URL: harness.osv.url,
    GITHUB_API_URL: github.url,
    WORKER_QUEUES: 'rematch',
    WORKER_NICE: String(REMATCH_NICE),
    WORKER_METRICS_PORT: '0',
  });
  try {
    await rematchWorker.waitForOutput(/polling /, 60_000);
    const { violations } = await syncPhase(
      harness,
      dir,
      BASELINE_REF ? 3 : 2,
      `re-match steps in a worker process at nice ${REMATCH_NICE}`,
      repos,
      PUSHES * (BASELINE_REF ? 10 : 5),
    );
    return violations;
  } finally {
    rematchWorker.child.kill('SIGTERM');
    await rematchWorker.exited(60_000);
  }
}

/** Pushed repositories whose pushed finding is not open (an older snapshot's re-match fixed it). */
async function pushedNotOpen(harness: ScanHarness, timings: readonly PushTiming[]): Promise<number> {
  const [row] = await query<{ n: number }>(
    harness,
    `select count(*)::int as n from unnest(string_to_array(?, ',')::uuid[]) as pushed(repo_id)
        where not exists (select 1 from findings f where f.repo_id = pushed.repo_id
          and f.vulnerability_id = ? and f.status = 'open')`,
    [timings.map((p) => p.repo.target.repoId).join(','), PUSHED_ADVISORY.id],
  );
  return row?.n ?? Number.NaN;
}

/**
 * A sync that re-matches every repository, and PUSHES pushes once its re-matches have begun, aimed
 * at re-matches among the candidates (4× PUSHES repositories from `firstCandidate`). Prints the
 * pushes' latencies and where they went; returns the pushed repositories whose finding an older
 * snapshot fixed.
 */
async function syncPhase(
  harness: ScanHarness,
  dir: string,
  phase: number,
  label: string,
  repos: readonly Repo[],
  firstCandidate: number,
): Promise<{ violations: number; flooded: PushTiming[] }> {
  const candidates = repos.slice(firstCandidate, firstCandidate + PUSHES * 4);
  const floodCommits = await commitPushes(candidates);
  const advisory = newAdvisory(phase);
  const file = path.join(dir, `new-advisory-${phase}.json`);
  fs.writeFileSync(file, JSON.stringify(advisory));
  const input: SyncAdvisoriesInput = {
    sources: [file],
    scanTaskQueue: harness.taskQueue,
    rematchTaskQueue: harness.rematchTaskQueue,
    scanTiming: { quietWindowMs: QUIET_WINDOW_MS },
  };
  const syncWorkflowId = `advisory-sync:bench-${run}-${phase}`;
  const syncStarted = performance.now();
  const sync = harness.temporal.client.workflow.execute<
    (i: SyncAdvisoriesInput) => Promise<SyncAdvisoriesResult>
  >(SYNC_ADVISORIES_WORKFLOW, {
    taskQueue: harness.taskQueue,
    workflowId: syncWorkflowId,
    args: [input],
  });
  const orgRepos = repos.map((r) => r.target.repoId);
  // Pushes begin as soon as the sync has collected its targets, before most re-matches are asked.
  for (;;) {
    const [row] = await query<{ n: number }>(
      harness,
      `select count(*)::int as n from advisory_sync_runs where id like ? and targets_collected_at is not null`,
      [`${syncWorkflowId}%`],
    );
    if ((row?.n ?? 0) > 0) break;
    await sleep(20);
  }
  const flooded = await pushAll(
    harness,
    candidates,
    floodCommits,
    PUSHES,
    aimedAtRematches(harness, syncWorkflowId, candidates),
  );
  const synced = await sync;
  const rematchesLeft = await query<{ n: number }>(
    harness,
    `select count(*)::int as n from scans where trigger = 'advisory' and status in ('QUEUED', 'RUNNING') and org_id = ?`,
    [harness.orgId],
  );
  // Every repository's workflow ran dry: nothing is left to persist.
  for (const repo of repos) await harness.waitForScan(repo.target);
  const syncSeconds = (performance.now() - syncStarted) / 1000;
  const violations = await pushedNotOpen(harness, flooded);
  const [missed] = await query<{ n: number }>(
    harness,
    `select count(*)::int as n from unnest(string_to_array(?, ',')::uuid[]) as repo(repo_id)
        where not exists (select 1 from findings f where f.repo_id = repo.repo_id
          and f.vulnerability_id = ? and f.status = 'open')`,
    [orgRepos.join(','), advisory.id],
  );

  console.log(`  sync ${phase}: ${label}`);
  console.log(describe('pushes during the sync', flooded));
  for (const aim of ['re-match running', 're-match not begun', 're-match done'] as const) {
    const aimed = flooded.filter((t) => t.aim === aim);
    if (aimed.length > 0) console.log(describe(`  ${aim}`, aimed));
  }
  console.log(await phaseMedians(harness, 'push scans during sync', flooded));
  console.log(await queueWaits(harness, 'push scans during sync', flooded));
  console.log(await slowestPushTimeline(harness, flooded));
  console.log(
    `  sync ${phase}: ${synced.scansRequested} re-matches requested for ${synced.affectedRepos} repositories, ` +
      `${rematchesLeft[0]?.n ?? 0} still queued or running when the sync workflow returned, all done after ${syncSeconds.toFixed(1)} s`,
  );
  console.log(
    `  sync ${phase}: pushed repositories whose pushed finding is not open at the end: ${violations} (must be 0); ` +
      `repositories without the new advisory's finding: ${missed?.n ?? '?'} (must be 0)`,
  );
  return { violations: violations + (missed?.n ?? 1), flooded };
}

/**
 * How long each push's workflow and activity tasks waited for a worker (scheduled → started, from
 * the request to its scan's completion), median per push: time spent queued behind other work, as
 * against time spent running on a shared CPU.
 */
async function queueWaits(
  harness: ScanHarness,
  label: string,
  timings: readonly PushTiming[],
): Promise<string> {
  const waits: number[] = [];
  for (const timing of timings) {
    const workflowId = `repo-scan:${timing.repo.target.repoId}`;
    const until = timing.requestedAt + timing.latencyMs;
    let waited = 0;
    for await (const execution of harness.temporal.client.workflow.list({
      query: `WorkflowId = '${workflowId}'`,
    })) {
      const history = await harness.temporal.client.workflow
        .getHandle(workflowId, execution.runId)
        .fetchHistory();
      const scheduledAt = new Map<string, number>();
      for (const event of history.events ?? []) {
        const at = eventTime(event);
        if (at < timing.requestedAt - 100 || at > until) continue;
        const id = String(event.eventId);
        if (event.activityTaskScheduledEventAttributes || event.workflowTaskScheduledEventAttributes)
          scheduledAt.set(id, at);
        const started =
          event.activityTaskStartedEventAttributes?.scheduledEventId ??
          event.workflowTaskStartedEventAttributes?.scheduledEventId;
        const from = started !== undefined && started !== null ? scheduledAt.get(String(started)) : undefined;
        if (from !== undefined) waited += at - from;
      }
    }
    waits.push(waited);
  }
  return `  ${label}: median ms waiting for a worker (tasks scheduled → started) ${quantile(waits, 0.5).toFixed(0)}, p90 ${quantile(waits, 0.9).toFixed(0)}`;
}

function eventTime(event: temporal.api.history.v1.IHistoryEvent): number {
  return Number(event.eventTime?.seconds ?? 0) * 1000 + Math.round((event.eventTime?.nanos ?? 0) / 1e6);
}

/**
 * The slowest push during the sync, event by event from its request (every run of its repository's
 * workflow): where a push waits that its steps' times do not show (queues, timers, new runs).
 */
async function slowestPushTimeline(harness: ScanHarness, timings: readonly PushTiming[]): Promise<string> {
  const slowest = [...timings].sort((a, b) => b.latencyMs - a.latencyMs)[0];
  if (!slowest) return '';
  const workflowId = `repo-scan:${slowest.repo.target.repoId}`;
  const requestedAt = slowest.requestedAt;
  const lines: { at: number; text: string }[] = [];
  for await (const execution of harness.temporal.client.workflow.list({
    query: `WorkflowId = '${workflowId}'`,
  })) {
    const history = await harness.temporal.client.workflow
      .getHandle(workflowId, execution.runId)
      .fetchHistory();
    for (const event of history.events ?? []) {
      const at =
        Number(event.eventTime?.seconds ?? 0) * 1000 + Math.round((event.eventTime?.nanos ?? 0) / 1e6);
      if (at < requestedAt - 100) continue;
      const type = (temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType)).replace(
        'EVENT_TYPE_',
        '',
      );
      const scheduled = event.activityTaskScheduledEventAttributes;
      const detail = scheduled
        ? ` ${scheduled.activityType?.name ?? ''} on ${scheduled.taskQueue?.name ?? ''}`
        : event.workflowExecutionSignaledEventAttributes
          ? ` ${event.workflowExecutionSignaledEventAttributes.signalName ?? ''}`
          : '';
      lines.push({ at, text: `${type}${detail}` });
    }
  }
  lines.sort((a, b) => a.at - b.at);
  return [
    `  slowest push during the sync (${slowest.aim}, ${slowest.latencyMs} ms), its workflow's events from the request:`,
    ...lines.map((line) => `    +${String(line.at - requestedAt).padStart(6)} ms  ${line.text}`),
  ].join('\n');
}

/** Median time of each step of the pushes' scans (where a push's latency went). */
async function phaseMedians(
  harness: ScanHarness,
  label: string,
  timings: readonly PushTiming[],
): Promise<string> {
  const rows = await query<{ phase_timings: Record<string, number> }>(
    harness,
    `select phase_timings from scans where trigger = 'push' and status = 'COMPLETED'
        and repo_id = any(string_to_array(?, ',')::uuid[])`,
    [timings.map((t) => t.repo.target.repoId).join(',')],
  );
  const phases = new Map<string, number[]>();
  for (const row of rows)
    for (const [phase, ms] of Object.entries(row.phase_timings))
      phases.set(phase, [...(phases.get(phase) ?? []), ms]);
  const parts = [...phases].map(([phase, ms]) => `${phase} ${quantile(ms, 0.5).toFixed(0)}`);
  return `  ${label}: median ms per step: ${parts.join(', ')}`;
}

/** Every repository, made in the stand-in's process in chunks, then connected to the harness's org. */
async function createRepos(harness: ScanHarness, github: GithubStandInProcess): Promise<Repo[]> {
  const names = Array.from({ length: REPOS }, (_, i) => `flood-${String(i).padStart(4, '0')}`);
  const files = { 'package-lock.json': packageLockV3({ [TARGET]: '1.0.0', lodash: '4.17.21' }) };
  for (let i = 0; i < names.length; i += 100)
    await github.createRepos(names.slice(i, i + 100).map((name) => ({ owner: 'bench', name, files })));
  const repos: Repo[] = [];
  for (const name of names)
    repos.push({
      name,
      target: await harness.connectRepo('bench', name),
      commit: (changed, message) => github.commit('bench', name, changed, message),
    });
  return repos;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
