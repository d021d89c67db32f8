// npm run bench:load — issue 21's load run: repositories seeded by SQL (each with a latest COMPLETED
// scan whose snapshot a re-match reads), then pushes at an even rate while an advisory sync of
// changed advisories re-matches the repositories they concern. Real Temporal dev server, PostgreSQL
// and the worker app in a process of its own (both queues, as the default deployment runs it); the
// GitHub stand-in in a child process, backed by git repositories for the pushed repositories.
//
//   BENCH_LOAD_REPOS (default 10000)      repositories seeded, 200 dependencies each
//   BENCH_LOAD_PUSHES (default 1000)      pushes, spread evenly over BENCH_LOAD_SECONDS
//   BENCH_LOAD_SECONDS (default 600)
//   BENCH_LOAD_PUSHES_PER_REPO (default 5) pushes per pushed repository (BENCH_LOAD_PUSHES / it
//                                         repositories are created on the stand-in, half of them
//                                         re-match targets, half not)
//   BENCH_LOAD_ADVISORIES (default 1000)  changed advisories the sync imports
//   BENCH_LOAD_MATCHING (default a tenth) of those, how many name a package seeded snapshots hold
//                                         (npm); the others name packages nobody holds
//   BENCH_LOAD_DRAIN_SECONDS (default 1800) how long the backlog may take to drain after the last push
//   BENCH_DATABASE_URL                    default postgresql://postgres@127.0.0.1:5432/repoguard_bench_load,
//                                         dropped and created again at every run (its name must say bench)
//
// A push's latency: its request to a push scan of its commit, or of a later push's commit to the same
// repository (requests in a row may be served by one scan), COMPLETED (scans.completed_at). The
// re-match targets are known in advance: the repositories whose seeded snapshot holds a package a
// changed advisory names (pushes keep every npm package of the seeded snapshot, so a pushed target
// stays one). A target counts as re-matched by a COMPLETED advisory scan of the sync, or by a
// COMPLETED scan begun after the sync's request for it (a push serves it, as SqlServedScanRequests
// counts). Violations (exit 2): a push never scanned, an expected target the sync did not collect or
// that was never re-matched, a pushed repository whose pushed finding is not open, a target without an
// open finding of each changed advisory it holds.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import {
  SYNC_ADVISORIES_WORKFLOW,
  type SyncAdvisoriesInput,
  type SyncAdvisoriesResult,
} from '@repoguard/contract';
import { FINAL_SCAN_STATUSES, type OsvRecord, type ScanTarget } from '@repoguard/domain';
import { bundleWorkflows, dropDatabase } from '@repoguard/infrastructure';
import { packageLockV3 } from '../test/support/manifest-fixtures';
import { startApp, type RunningProcess } from '../test/support/processes';
import type { ScanHarness } from '../test/support/scan-harness';
import { advisoryOn, positiveEnv, quantile } from './bench-util';
import { startGithubStandInProcess, type GithubStandInProcess } from './github-stand-in-process';
import { seedRepositories } from './repository-seed';
import { withScanHarness } from './scan-bench-harness';

const REPOS = positiveEnv('BENCH_LOAD_REPOS', 10_000);
const PUSHES = positiveEnv('BENCH_LOAD_PUSHES', 1_000);
const SECONDS = positiveEnv('BENCH_LOAD_SECONDS', 600);
const PUSHES_PER_REPO = positiveEnv('BENCH_LOAD_PUSHES_PER_REPO', 5);
const ADVISORIES = positiveEnv('BENCH_LOAD_ADVISORIES', 1_000);
const MATCHING = positiveEnv('BENCH_LOAD_MATCHING', Math.max(1, Math.round(ADVISORIES / 10)));
const DRAIN_SECONDS = positiveEnv('BENCH_LOAD_DRAIN_SECONDS', 1_800);
const DEPENDENCIES = 200;
// About 30 repositories hold each npm name, whatever the number of repositories.
const NAME_POOL = REPOS * 5;
const ORGS = Math.max(1, Math.round(REPOS / 100));
const SEED_MARK = 'bench-load';
const PUSHED_REPOS = Math.ceil(PUSHES / PUSHES_PER_REPO);
process.env['BENCH_DATABASE_URL'] ??= 'postgresql://postgres@127.0.0.1:5432/repoguard_bench_load';

const run = randomUUID().slice(0, 8);
/** Added by every push; named by an advisory known from the start, so a push scan opens a finding. */
const PUSHED = `rg-load-pushed-${run}`;
/** Its version changes with every push: each push is a commit of its own. */
const STEP = `rg-load-step-${run}`;
const PUSHED_ADVISORY = advisoryOn(`RG-LOAD-PUSHED-${run}`, 'npm', PUSHED, '2026-01-01T00:00:00Z');

/** The sync's advisories: the first MATCHING name seeded npm packages, the others nothing held. */
function changedAdvisories(): OsvRecord[] {
  return Array.from({ length: ADVISORIES }, (_, i) => {
    const a = i + 1;
    const held = a <= MATCHING;
    return advisoryOn(
      `RG-LOAD-NEW-${run}-${a}`,
      held || a % 2 === 0 ? 'npm' : 'PyPI',
      held ? `pkg-${(a * 487) % NAME_POOL}` : `rg-load-absent-${run}-${a}`,
      '2026-11-30T00:00:00Z',
    );
  });
}

interface PushedRepo {
  readonly target: ScanTarget;
  readonly isTarget: boolean;
  /** The commits of its pushes, in order. */
  readonly shas: string[];
}

interface Push {
  readonly repo: PushedRepo;
  readonly index: number;
  /** Epoch milliseconds, taken just before the request. */
  readonly requestedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** The machine's 1, 5 and 15 minute load averages (the machine may be shared). */
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function query<T>(harness: ScanHarness, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await harness.orm.em.getConnection().execute(sql, params)) as T[];
}

async function databaseSize(harness: ScanHarness): Promise<string> {
  const [row] = await query<{ size: string; bytes: string }>(
    harness,
    `select pg_size_pretty(pg_database_size(current_database())) as size, pg_database_size(current_database())::text as bytes`,
  );
  return `${row!.size} (${row!.bytes} bytes)`;
}

async function main(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL']!;
  if (!/bench/.test(new URL(databaseUrl).pathname))
    throw new Error('BENCH_DATABASE_URL: the load run drops its database, whose name must contain "bench"');
  if (MATCHING > ADVISORIES) throw new Error('BENCH_LOAD_MATCHING must be at most BENCH_LOAD_ADVISORIES');
  if (PUSHED_REPOS > REPOS)
    throw new Error('BENCH_LOAD_PUSHES / BENCH_LOAD_PUSHES_PER_REPO exceeds the repositories');
  await dropDatabase(databaseUrl);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-bench-load-'));
  const github = await startGithubStandInProcess();
  try {
    await withScanHarness(
      {
        name: 'bench-load',
        githubApiUrl: github.url,
        advisories: [PUSHED_ADVISORY],
        osvMode: 'mirror',
        quietWindowMs: 0,
        maxWaitMs: 1_000,
      },
      // Printed here: once the harness closes, a pending query can crash the process first.
      (harness) =>
        load(harness, github, dir).catch((error: unknown) => {
          console.error(error);
          throw error;
        }),
    );
  } finally {
    await github.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function load(harness: ScanHarness, github: GithubStandInProcess, dir: string): Promise<void> {
  // The worker app runs in a process of its own (below), whose memory is measured.
  await harness.stopWorker();
  console.log(
    `RepoGuard load run on ${process.version}, ${os.cpus().length} CPUs, load ${loadAverage()}: ` +
      `${REPOS} repositories x ${DEPENDENCIES} dependencies, ${PUSHES} pushes over ${SECONDS} s to ${PUSHED_REPOS} of them, ` +
      `a sync of ${ADVISORIES} changed advisories (${MATCHING} naming held packages)`,
  );
  const seedStarted = performance.now();
  await harness.orm.em.transactional(async (em) => {
    const trx = em.getTransactionContext();
    await seedRepositories((sql, params = []) => em.getConnection().execute(sql, params, 'all', trx), {
      mark: SEED_MARK,
      orgs: ORGS,
      repositories: REPOS,
      dependencies: DEPENDENCIES,
      namePool: NAME_POOL,
      withOlderSnapshot: 0,
      scans: [['COMPLETED', 1]],
    });
  });
  // As autovacuum soon leaves tables after a bulk insert: statistics fresh for the planner.
  await query(harness, 'vacuum analyze');
  console.log(
    `  seeded ${REPOS} repositories in ${ORGS} orgs in ${seconds(performance.now() - seedStarted)}`,
  );

  const advisories = changedAdvisories();
  const heldBy = new Map<string, string[]>();
  for (const advisory of advisories.slice(0, MATCHING)) {
    const name = advisory.affected![0]!.package!.name;
    heldBy.set(name, [...(heldBy.get(name) ?? []), advisory.id]);
  }
  // Found in the seeded dependencies, not by the product's look-up.
  const holdings = await query<{ repo_id: string; name: string }>(
    harness,
    `select distinct s.repo_id, d.name from dependencies d join dependency_snapshots s on s.id = d.snapshot_id
      where d.ecosystem = 'npm' and d.name = any(?::text[])`,
    [`{${[...heldBy.keys()].join(',')}}`],
  );
  const expected = new Map<string, Set<string>>();
  for (const { repo_id, name } of holdings)
    expected.set(repo_id, new Set([...(expected.get(repo_id) ?? []), ...heldBy.get(name)!]));
  const file = path.join(dir, 'changed-advisories.json');
  fs.writeFileSync(file, JSON.stringify(advisories));

  const standInStarted = performance.now();
  const pushed = await createPushedRepos(harness, github, expected);
  console.log(
    `  ${expected.size} re-match targets expected; ${pushed.length} pushed repositories (${pushed.filter((r) => r.isTarget).length} of them targets) ` +
      `created on the GitHub stand-in with ${PUSHES_PER_REPO} commits each in ${seconds(performance.now() - standInStarted)}`,
  );

  // Prebuilt, as production workers load it: bundling in the worker would be its peak memory.
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, await bundleWorkflows());
  const worker = startWorkerProcess(harness, github, bundlePath);
  try {
    await worker.process.waitForOutput(/polling /, 180_000);
    const rssAtStart = worker.rssKb();
    const sizeBefore = await databaseSize(harness);
    const { violations } = await pushesDuringSync(harness, pushed, expected, file);
    console.log(
      `  PostgreSQL database size: ${sizeBefore} after seeding, ${await databaseSize(harness)} at the end`,
    );
    console.log(
      `  peak worker RSS (the worker app's process, VmHWM): ${(worker.peakRssKb() / 1024).toFixed(0)} MiB ` +
        `(${(rssAtStart / 1024).toFixed(0)} MiB once polling); ` +
        `load ${loadAverage()}`,
    );
    console.log(`  violations: ${violations.length} (must be 0)`);
    for (const violation of violations.slice(0, 20)) console.log(`    ${violation}`);
    if (violations.length > 0) process.exitCode = 2;
  } finally {
    worker.stop();
    worker.process.child.kill('SIGTERM');
    await worker.process.exited(90_000);
  }
}

/**
 * Half the pushed repositories among the expected targets, half among the others (more of either
 * when the other is short), each made a git repository on the stand-in holding its seeded npm
 * packages, then its pushes' commits, made before any is requested: the stand-in commits with
 * synchronous git, which would hold up its answers to the scans being measured.
 */
async function createPushedRepos(
  harness: ScanHarness,
  github: GithubStandInProcess,
  expected: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<PushedRepo[]> {
  const repos = await query<{ id: string; org_id: string; name: string }>(
    harness,
    `select id, org_id, name from repositories where owner = ? order by substr(name, 6)::int`,
    [SEED_MARK],
  );
  const targets = repos.filter((r) => expected.has(r.id));
  const others = repos.filter((r) => !expected.has(r.id));
  const fromTargets = Math.min(
    targets.length,
    Math.max(Math.ceil(PUSHED_REPOS / 2), PUSHED_REPOS - others.length),
  );
  const chosen = [...targets.slice(0, fromTargets), ...others.slice(0, PUSHED_REPOS - fromTargets)];
  const packages = await query<{ repo_id: string; name: string }>(
    harness,
    `select s.repo_id, d.name from dependencies d join dependency_snapshots s on s.id = d.snapshot_id
      where d.ecosystem = 'npm' and s.repo_id = any(?::uuid[])`,
    [`{${chosen.map((r) => r.id).join(',')}}`],
  );
  const held = new Map<string, Record<string, string>>();
  for (const { repo_id, name } of packages) held.set(repo_id, { ...held.get(repo_id), [name]: '1.0.0' });
  const lock = (repoId: string, push?: number) =>
    packageLockV3({
      ...held.get(repoId),
      ...(push === undefined ? {} : { [PUSHED]: '1.0.0', [STEP]: `1.0.${push}` }),
    });
  for (let i = 0; i < chosen.length; i += 50)
    await github.createRepos(
      chosen.slice(i, i + 50).map((r) => ({
        owner: SEED_MARK,
        name: r.name,
        files: { 'package-lock.json': lock(r.id) },
      })),
    );
  const pushed: PushedRepo[] = chosen.map((r) => ({
    target: { orgId: r.org_id, repoId: r.id, owner: SEED_MARK, name: r.name },
    isTarget: expected.has(r.id),
    shas: [],
  }));
  for (let push = 0; push < PUSHES_PER_REPO; push++)
    for (const repo of pushed)
      repo.shas.push(
        await github.commit(
          SEED_MARK,
          repo.target.name,
          { 'package-lock.json': lock(repo.target.repoId, push) },
          `push ${push}`,
        ),
      );
  return pushed;
}

interface WorkerProcess {
  readonly process: RunningProcess;
  /** The process's peak resident set (VmHWM), in KiB, as last read. */
  peakRssKb(): number;
  /** Its resident set now (VmRSS), in KiB. */
  rssKb(): number;
  stop(): void;
}

/** The worker app, polling the harness's scan and re-match queues, its peak RSS read every second. */
function startWorkerProcess(
  harness: ScanHarness,
  github: GithubStandInProcess,
  bundlePath: string,
): WorkerProcess {
  const process_ = startApp('apps/worker/src/main.ts', {
    DATABASE_URL: process.env['DATABASE_URL'],
    TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'],
    TEMPORAL_NAMESPACE: process.env['TEMPORAL_NAMESPACE'],
    TEMPORAL_TASK_QUEUE: harness.taskQueue,
    TEMPORAL_REMATCH_TASK_QUEUE: harness.rematchTaskQueue,
    OSV_MODE: 'mirror',
    OSV_API_URL: harness.osv.url,
    GITHUB_API_URL: github.url,
    WORKER_QUEUES: 'all',
    WORKER_METRICS_PORT: '0',
    WORKER_SHUTDOWN_GRACE_SECONDS: '5',
    WORKFLOW_BUNDLE_PATH: bundlePath,
  });
  let peak = 0;
  const status = () => {
    try {
      return fs.readFileSync(`/proc/${process_.child.pid}/status`, 'utf8');
    } catch {
      // Gone: the last reading stands.
      return '';
    }
  };
  const kb = (text: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  const read = () => {
    peak = Math.max(peak, kb(status(), 'VmHWM'));
  };
  const timer = setInterval(read, 1_000);
  return {
    process: process_,
    peakRssKb: () => {
      read();
      return peak;
    },
    rssKb: () => kb(status(), 'VmRSS'),
    stop: () => clearInterval(timer),
  };
}

/**
 * Starts the sync, requests the pushes at an even rate from the same moment, waits for the backlog
 * to drain and prints what happened; returns the violations.
 */
async function pushesDuringSync(
  harness: ScanHarness,
  pushed: readonly PushedRepo[],
  expected: ReadonlyMap<string, ReadonlySet<string>>,
  file: string,
): Promise<{ violations: string[] }> {
  const syncWorkflowId = `advisory-sync:bench-load-${run}`;
  const input: SyncAdvisoriesInput = {
    sources: [file],
    scanTaskQueue: harness.taskQueue,
    rematchTaskQueue: harness.rematchTaskQueue,
    scanTiming: { quietWindowMs: 0 },
  };
  // By the database's clock, as the scans' rows are stamped.
  const [{ now: startedAtDb }] = (await query<{ now: string }>(harness, 'select now()::text as now')) as [
    { now: string },
  ];
  const started = Date.now();
  let syncReturned: number | null = null;
  let syncResult: SyncAdvisoriesResult | null = null;
  const sync = harness.temporal.client.workflow
    .execute<(i: SyncAdvisoriesInput) => Promise<SyncAdvisoriesResult>>(SYNC_ADVISORIES_WORKFLOW, {
      taskQueue: harness.taskQueue,
      workflowId: syncWorkflowId,
      args: [input],
    })
    .then((result) => {
      syncReturned = Date.now();
      syncResult = result;
    });
  // Awaited below; a failure while pushes are requested must not go unhandled meanwhile.
  sync.catch(() => undefined);

  const intervalMs = (SECONDS * 1000) / PUSHES;
  const pushes: Push[] = [];
  let requestsBehind = 0;
  for (let i = 0; i < PUSHES; i++) {
    const due = started + i * intervalMs;
    if (Date.now() < due) await sleep(due - Date.now());
    else if (Date.now() - due > 1_000) requestsBehind++;
    const repo = pushed[i % pushed.length]!;
    const index = Math.floor(i / pushed.length);
    const requestedAt = Date.now();
    await harness.request(repo.target, {
      trigger: 'push',
      commitSha: repo.shas[index]!,
      ref: 'refs/heads/main',
      deliveryId: `bench-load-${run}-${i}`,
    });
    pushes.push({ repo, index, requestedAt });
  }
  const lastPush = Date.now();
  console.log(
    `  ${PUSHES} pushes requested in ${seconds(lastPush - started)}` +
      (requestsBehind > 0 ? ` (${requestsBehind} more than 1 s behind schedule)` : ''),
  );

  // The backlog: pushes not yet scanned, scans not finished, requests not relayed, the sync running.
  const deadline = lastPush + DRAIN_SECONDS * 1000;
  let latencies = new Map<Push, number>();
  let peakUnfinished = 0;
  for (;;) {
    latencies = await pushLatencies(harness, pushes);
    const [backlog] = await query<{ scans: number; outbox: number }>(
      harness,
      `select (select count(*)::int from scans where status <> all(?::text[])) as scans,
              (select count(*)::int from scan_request_outbox where relayed_at is null and gave_up_at is null) as outbox`,
      [`{${FINAL_SCAN_STATUSES.join(',')}}`],
    );
    peakUnfinished = Math.max(peakUnfinished, backlog!.scans);
    if (
      syncReturned !== null &&
      latencies.size === pushes.length &&
      backlog!.scans === 0 &&
      backlog!.outbox === 0
    )
      break;
    if (Date.now() > deadline) {
      console.log(
        `  backlog not drained ${DRAIN_SECONDS} s after the last push: ${pushes.length - latencies.size} pushes unscanned, ` +
          `${backlog!.scans} scans unfinished, ${backlog!.outbox} requests unrelayed, sync ${syncReturned === null ? 'running' : 'returned'}`,
      );
      break;
    }
    await sleep(1_000);
  }
  const drained = Date.now();
  await Promise.race([sync, sleep(1_000)]);
  if (syncReturned === null) throw new Error('the sync workflow did not return');

  const ms = [...latencies.values()];
  console.log(
    `  pushes: ${PUSHES} sent, ${latencies.size} scanned; request -> COMPLETED p50 ${quantile(ms, 0.5).toFixed(0)} ms, ` +
      `p95 ${quantile(ms, 0.95).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms`,
  );
  const result = syncResult as SyncAdvisoriesResult | null;
  console.log(
    `  sync: ${result?.scansRequested ?? '?'} re-matches requested for ${result?.affectedRepos ?? '?'} repositories, ` +
      `returned after ${seconds((syncReturned ?? drained) - started)}`,
  );
  const [throughput] = await query<{
    push: number;
    advisory: number;
    failed: number;
    push_window_push: number;
    push_window_advisory: number;
  }>(
    harness,
    `select count(*) filter (where trigger = 'push' and status = 'COMPLETED')::int as push,
            count(*) filter (where trigger = 'advisory' and status = 'COMPLETED')::int as advisory,
            count(*) filter (where status = 'FAILED')::int as failed,
            count(*) filter (where trigger = 'push' and status = 'COMPLETED' and completed_at <= ?::timestamptz)::int as push_window_push,
            count(*) filter (where trigger = 'advisory' and status = 'COMPLETED' and completed_at <= ?::timestamptz)::int as push_window_advisory
       from scans where created_at >= ?::timestamptz`,
    [new Date(lastPush).toISOString(), new Date(lastPush).toISOString(), startedAtDb],
  );
  const perMinute = (n: number, fromMs: number, toMs: number) => ((n * 60_000) / (toMs - fromMs)).toFixed(1);
  console.log(
    `  throughput, scans COMPLETED per minute: while pushing ${perMinute(throughput!.push_window_push, started, lastPush)} push, ` +
      `${perMinute(throughput!.push_window_advisory, started, lastPush)} re-match; start to drained ` +
      `${perMinute(throughput!.push, started, drained)} push, ${perMinute(throughput!.advisory, started, drained)} re-match ` +
      `(${throughput!.push} push scans, ${throughput!.advisory} re-match scans, ${throughput!.failed} FAILED)`,
  );
  console.log(
    `  backlog drained ${seconds(drained - lastPush)} after the last push (sync returned, every push scanned, no scan ` +
      `unfinished, no request unrelayed); at most ${peakUnfinished} scans unfinished at once`,
  );

  const violations: string[] = [];
  for (const push of pushes)
    if (!latencies.has(push))
      violations.push(
        `push ${push.index + 1} to ${push.repo.target.name} (${push.repo.shas[push.index]}) never scanned`,
      );
  violations.push(...(await rematchViolations(harness, pushed, expected, syncWorkflowId)));
  return { violations };
}

/**
 * Each push's latency: from its request to the first push scan COMPLETED after it of its commit or
 * of a later push's to the same repository.
 */
async function pushLatencies(harness: ScanHarness, pushes: readonly Push[]): Promise<Map<Push, number>> {
  const rows = await query<{ repo_id: string; commit_sha: string; completed_at: Date }>(
    harness,
    `select repo_id, commit_sha, completed_at from scans
      where trigger = 'push' and status = 'COMPLETED' and repo_id = any(?::uuid[])`,
    [`{${[...new Set(pushes.map((p) => p.repo.target.repoId))].join(',')}}`],
  );
  const latencies = new Map<Push, number>();
  for (const push of pushes) {
    const later = new Set(push.repo.shas.slice(push.index));
    let first = Number.POSITIVE_INFINITY;
    for (const row of rows) {
      const at = new Date(row.completed_at).getTime();
      if (row.repo_id === push.repo.target.repoId && later.has(row.commit_sha) && at >= push.requestedAt)
        first = Math.min(first, at);
    }
    if (Number.isFinite(first)) latencies.set(push, first - push.requestedAt);
  }
  return latencies;
}

/** What the sync left undone or undid. */
async function rematchViolations(
  harness: ScanHarness,
  pushed: readonly PushedRepo[],
  expected: ReadonlyMap<string, ReadonlySet<string>>,
  syncWorkflowId: string,
): Promise<string[]> {
  const violations: string[] = [];
  const collected = new Set(
    (
      await query<{ repo_id: string }>(
        harness,
        `select repo_id from advisory_rematch_targets where sync_run_id like ?`,
        [`${syncWorkflowId}@%`],
      )
    ).map((row) => row.repo_id),
  );
  const ids = [...expected.keys()];
  const rematches = await query<{ repo_id: string; own: boolean; served: boolean }>(
    harness,
    `select t.repo_id,
            exists (select 1 from scans s where s.repo_id = t.repo_id and s.trigger = 'advisory'
                      and s.status = 'COMPLETED' and s.requested_by like ?) as own,
            exists (select 1 from scan_request_outbox o join scans s on s.repo_id = o.repo_id
                      where o.repo_id = t.repo_id and o.request -> 'details' ->> 'requestedBy' like ?
                        and s.status = 'COMPLETED' and coalesce(s.started_at, s.created_at) >= o.created_at) as served
       from unnest(?::uuid[]) as t(repo_id)`,
    [`${syncWorkflowId}@%`, `${syncWorkflowId}@%`, `{${ids.join(',')}}`],
  );
  const rematched = new Set(rematches.filter((r) => r.own || r.served).map((r) => r.repo_id));
  const servedByOther = rematches.filter((r) => !r.own && r.served).length;
  const open = await query<{ repo_id: string; vulnerability_id: string }>(
    harness,
    `select repo_id, vulnerability_id from findings
      where status = 'open' and (vulnerability_id like ? or vulnerability_id = ?)`,
    [`RG-LOAD-NEW-${run}-%`, PUSHED_ADVISORY.id],
  );
  const openPairs = new Set(open.map((f) => `${f.repo_id} ${f.vulnerability_id}`));
  let missingFindings = 0;
  for (const [repoId, advisories] of expected) {
    if (!collected.has(repoId)) violations.push(`target ${repoId} not collected by the sync`);
    else if (!rematched.has(repoId)) violations.push(`target ${repoId} never re-matched`);
    for (const advisory of advisories)
      if (!openPairs.has(`${repoId} ${advisory}`)) {
        missingFindings++;
        violations.push(`target ${repoId}: no open finding of ${advisory}`);
      }
  }
  const extra = [...collected].filter((id) => !expected.has(id)).length;
  let pushedNotOpen = 0;
  for (const repo of pushed)
    if (!openPairs.has(`${repo.target.repoId} ${PUSHED_ADVISORY.id}`)) {
      pushedNotOpen++;
      violations.push(`${repo.target.name}: its pushed finding is not open`);
    }
  console.log(
    `  re-match targets: ${expected.size} expected, ${collected.size} collected by the sync (${extra} unexpected), ` +
      `${rematched.size} re-matched (${servedByOther} of them served by another scan begun after the request); ` +
      `findings missing: ${missingFindings} of the changed advisories, ${pushedNotOpen} pushed (both must be 0)`,
  );
  return violations;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
