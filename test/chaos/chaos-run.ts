// The chaos run (issue 15, point 8): repositories on the GitHub stand-in receive signed pushes over
// a few minutes while the worker, the API and the Temporal dev server are each SIGKILLed and
// restarted at random moments. Once quiet, every repository's newest completed scan must be of its
// newest pushed commit, with exactly that commit's findings open, no finding twice, and every
// delivery the API accepted in its delivery log. `npm run chaos` and the smoke e2e test call this.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { startGithubStandIn, type TestRepo } from '../stand-ins/github-stand-in';
import { startOsvStandIn } from '../stand-ins/osv-stand-in';
import { request } from '../support/http';
import { REPO_ROOT, SWC_ENV } from '../support/processes';
import { ChaosChecks, type RepoExpectation, type ScanCounts } from './chaos-checks';
import {
  CHAOS_ADVISORIES,
  expectedFindings,
  MANIFEST_PATH,
  randomPins,
  requirementsTxt,
  type Pins,
} from './chaos-manifests';
import { prepareChaosStack, type ChaosStack } from './chaos-stack';
import { PushSender, type DeliveryResult, type PushTarget } from './push-sender';
import { SeededRandom } from './seeded-random';
import type { SupervisedProcess, SupervisedProcessCounts } from './supervised-process';

export interface ChaosOptions {
  readonly seed: number;
  readonly repos: number;
  readonly pushes: number;
  /** The pushes and the kills happen within this time. */
  readonly pushPhaseMs: number;
  /** SIGKILLs of each of the worker, the API and Temporal. */
  readonly killsPerProcess: number;
  /** One of Temporal's outages lasts at least this long (pushes meanwhile must be redelivered). */
  readonly longTemporalOutageMs: number;
  /** After the chaos: how long the scans may take to catch up before the run fails. */
  readonly settleTimeoutMs: number;
  /** Migrated here first (created when missing). */
  readonly databaseUrl: string;
  readonly log: (line: string) => void;
  /** Keep the work directory (logs, git repositories, Temporal's SQLite file) even when the run passed. */
  readonly keepWorkDir?: boolean;
}

export type ProcessName = 'temporal' | 'worker' | 'api';
const PROCESS_NAMES: readonly ProcessName[] = ['temporal', 'worker', 'api'];

export interface ProcessReport extends SupervisedProcessCounts {
  /** From a SIGKILL until the process answered again, the longest of the run. */
  readonly longestOutageMs: number;
}

export interface PushReport {
  readonly sent: number;
  /** Accepted (202, or 200 for a delivery already recorded) at the first send. */
  readonly acceptedFirstTime: number;
  /** Accepted only after one or more redeliveries. */
  readonly acceptedAfterRedelivery: number;
  /** Sends after the first, in all. */
  readonly redeliveries: number;
  /** Never accepted: lost. */
  readonly notAccepted: number;
  /** Why sends were refused, with counts (`503 TEMPORAL_UNAVAILABLE`, `network ECONNREFUSED`, ...). */
  readonly refusals: Readonly<Record<string, number>>;
}

export interface ChaosReport {
  readonly seed: number;
  readonly repos: number;
  readonly elapsedMs: number;
  /** From the end of the chaos until the scans had caught up (or the settle timeout). */
  readonly settleMs: number;
  readonly pushes: PushReport;
  readonly scans: ScanCounts;
  readonly processes: Readonly<Record<ProcessName, ProcessReport>>;
  /** One line per failed check; empty when the run passed. */
  readonly problems: readonly string[];
  /** What the checks compared against, per repository. */
  readonly expectations: readonly RepoExpectation[];
  readonly acceptedDeliveryIds: readonly string[];
  /** Kept when the run failed (or keepWorkDir): the processes' logs are in its logs/. */
  readonly workDir: string | null;
}

interface PlannedPush {
  readonly atMs: number;
  readonly repo: number;
  readonly pins: Pins;
}

interface PlannedKill {
  readonly atMs: number;
  /** How long the process stays down before it is started again (its start-up comes on top). */
  readonly downMs: number;
}

interface RunPlan {
  readonly initialPins: readonly Pins[];
  readonly pushes: readonly PlannedPush[];
  readonly kills: Readonly<Record<ProcessName, readonly PlannedKill[]>>;
}

interface ChaosRepo {
  readonly testRepo: TestRepo;
  readonly target: PushTarget;
  readonly repoId: string;
  head: string;
  pins: Pins;
  pushed: boolean;
  /** Commits to one repository happen one after another, as pushes to one branch do. */
  chain: Promise<unknown>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
const execFileAsync = promisify(execFile);

// Downtime before a restart is started, per process (its own start-up time comes on top).
const DOWN_MS: Readonly<Record<ProcessName, readonly [number, number]>> = {
  temporal: [2_000, 10_000],
  worker: [500, 8_000],
  api: [500, 5_000],
};
// After the chaos, deliveries still refused are redelivered for this long before they count as lost.
const REDELIVERY_GRACE_MS = 120_000;

/** Everything random about the run, drawn up front from the seed. */
export function planRun(options: ChaosOptions): RunPlan {
  const random = new SeededRandom(options.seed);
  const pinsRandom = random.fork('pins');
  const initialPins = Array.from({ length: options.repos }, () => randomPins(pinsRandom));

  const pushRandom = random.fork('pushes');
  const times = Array.from({ length: options.pushes }, () => pushRandom.between(0, options.pushPhaseMs)).sort(
    (a, b) => a - b,
  );
  // The first pushes reach every repository once (in a random order), the rest land anywhere.
  const order = Array.from({ length: options.repos }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = pushRandom.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const pushes = times.map((atMs, i) => ({
    atMs,
    repo: i < order.length ? order[i]! : pushRandom.int(0, options.repos - 1),
    pins: randomPins(pinsRandom),
  }));

  const kills = {} as Record<ProcessName, PlannedKill[]>;
  for (const name of PROCESS_NAMES) {
    const killRandom = random.fork(`kills-${name}`);
    const count = options.killsPerProcess;
    // One kill per slot between 5 % and 85 % of the push phase, so the last restart still sees
    // pushes; anywhere in its slot, so the three processes' outages overlap only sometimes.
    const start = options.pushPhaseMs * 0.05;
    const slot = (options.pushPhaseMs * 0.8) / Math.max(1, count);
    const longOne = name === 'temporal' && count > 0 ? killRandom.int(0, count - 1) : -1;
    kills[name] = Array.from({ length: count }, (_, i) => {
      const [min, max] = DOWN_MS[name];
      const downMs =
        i === longOne
          ? options.longTemporalOutageMs + killRandom.between(0, 5_000)
          : Math.min(killRandom.between(min, max), slot * 0.3);
      return { atMs: start + slot * i + killRandom.between(0, slot * 0.7), downMs };
    });
  }
  return { initialPins, pushes, kills };
}

/** Creates the database if missing and migrates it, in a child process as the test set-up does. */
async function prepareDatabase(databaseUrl: string): Promise<void> {
  await execFileAsync(
    process.execPath,
    ['-r', '@swc-node/register', path.join(REPO_ROOT, 'scripts/db-prepare.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...SWC_ENV, DATABASE_URL: databaseUrl },
    },
  );
}

async function withTemporalClient<T>(stack: ChaosStack, work: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: stack.temporalAddress, connectTimeout: 5_000 });
  try {
    return await work(new Client({ connection, namespace: stack.namespace }));
  } finally {
    await connection.close();
  }
}

/** Repositories whose scan workflow is still running (debouncing, scanning or about to continue). */
async function busyWorkflows(stack: ChaosStack, repos: readonly ChaosRepo[]): Promise<string[]> {
  return withTemporalClient(stack, async (client) => {
    const busy: string[] = [];
    for (const repo of repos) {
      try {
        const description = await client.workflow.getHandle(`repo-scan:${repo.repoId}`).describe();
        if (description.status.name === 'RUNNING') busy.push(`${repo.target.owner}/${repo.target.name}`);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    return busy;
  });
}

function countRefusals(results: readonly DeliveryResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reason of results.flatMap((r) => r.refusals)) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { log } = options;
  const startedAt = Date.now();
  const plan = planRun(options);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'repoguard-chaos-'));
  log(
    `seed ${options.seed}: ${options.repos} repositories, ${options.pushes} pushes over ${Math.round(options.pushPhaseMs / 1000)} s, ` +
      `${options.killsPerProcess} SIGKILLs each of temporal, worker and api; work dir ${workDir}`,
  );
  await prepareDatabase(options.databaseUrl);
  const github = await startGithubStandIn();
  const osv = await startOsvStandIn([...CHAOS_ADVISORIES]);
  const checks = new ChaosChecks(options.databaseUrl);
  const runId = randomUUID().slice(0, 8);
  const webhookSecret = `whsec-${randomBytes(16).toString('hex')}`;
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  let stack: ChaosStack | undefined;
  let passed = false;
  // Interrupted (Ctrl-C, a CI timeout), the run must not leave a Temporal server, API or worker behind.
  const killAll = () => [stack?.api, stack?.worker, stack?.temporal].forEach((p) => p?.killNow());
  process.once('exit', killAll);
  try {
    stack = await prepareChaosStack({
      workDir,
      databaseUrl: options.databaseUrl,
      githubApiUrl: github.url,
      osvApiUrl: osv.url,
      webhookSecret,
      adminToken,
      taskQueue: `chaos-${runId}`,
      log,
    });
    const processes: Record<ProcessName, SupervisedProcess> = {
      temporal: stack.temporal,
      worker: stack.worker,
      api: stack.api,
    };
    await stack.temporal.start();
    const [workerMs, apiMs] = await Promise.all([stack.worker.start(), stack.api.start()]);
    log(
      `up: temporal at ${stack.temporalAddress}, worker in ${workerMs} ms, api at ${stack.apiUrl} in ${apiMs} ms`,
    );

    const repos = await connectRepos(stack, github, plan, runId, adminToken);
    log(`${repos.length} repositories connected (owner chaos-${runId})`);

    // The chaos: pushes on their schedule, and each process killed on its own.
    let giveUpAt = Number.POSITIVE_INFINITY;
    const sender = new PushSender({
      apiUrl: stack.apiUrl,
      secret: webhookSecret,
      // GitHub leaves redelivery to its user; ours comes back after 2 s, then less and less often.
      redeliveryDelayMs: (attempt) => Math.min(2_000 * attempt, 10_000),
      giveUpAt: () => giveUpAt,
    });
    const phaseStart = Date.now();
    const deliveries: Promise<DeliveryResult>[] = [];
    const outages: Record<ProcessName, number[]> = { temporal: [], worker: [], api: [] };

    const pushing = (async () => {
      for (const [index, push] of plan.pushes.entries()) {
        await sleep(phaseStart + push.atMs - Date.now());
        const repo = repos[push.repo]!;
        const label = `push ${index + 1} of ${plan.pushes.length}`;
        const committed = repo.chain.then(async () => {
          const before = repo.head;
          const sha = await repo.testRepo.commit(
            { [MANIFEST_PATH]: requirementsTxt(push.pins, label) },
            label,
          );
          repo.head = sha;
          repo.pins = push.pins;
          repo.pushed = true;
          return { before, sha };
        });
        repo.chain = committed;
        deliveries.push(committed.then(({ before, sha }) => sender.deliver(repo.target, before, sha)));
        if ((index + 1) % 25 === 0) log(`${index + 1} pushes sent`);
      }
    })();

    const killing = PROCESS_NAMES.map(async (name) => {
      const supervised = processes[name];
      for (const [index, kill] of plan.kills[name].entries()) {
        await sleep(phaseStart + kill.atMs - Date.now());
        await supervised.whenReady(5 * 60_000);
        await supervised.kill();
        const downAt = Date.now();
        log(
          `SIGKILL ${name} (${index + 1}/${plan.kills[name].length}), restarting in ${Math.round(kill.downMs)} ms`,
        );
        await sleep(kill.downMs);
        await supervised.start();
        outages[name].push(Date.now() - downAt);
        log(`${name} back after ${Date.now() - downAt} ms`);
      }
    });
    await Promise.all([pushing, ...killing]);
    giveUpAt = Date.now() + REDELIVERY_GRACE_MS;
    log('chaos over: every process is up; waiting for the deliveries to be accepted');
    const results = await Promise.all(deliveries);

    const expectations: RepoExpectation[] = repos
      .filter((r) => r.pushed)
      .map((r) => ({
        repoId: r.repoId,
        fullName: `${r.target.owner}/${r.target.name}`,
        headSha: r.head,
        openFindings: expectedFindings(r.pins),
      }));
    const settleStart = Date.now();
    const settleProblems = await waitUntilQuiet(stack, checks, repos, expectations, options);
    const settleMs = Date.now() - settleStart;
    const accepted = results.filter((r) => r.acceptedStatus !== null);
    const outcome = await checks.verify(
      expectations,
      accepted.map((r) => r.deliveryId),
    );

    const problems = [...settleProblems, ...outcome.problems];
    for (const lost of results.filter((r) => r.acceptedStatus === null))
      problems.push(
        `push ${lost.sha.slice(0, 12)} to ${lost.repo} never accepted (${lost.attempts} sends: ${[...new Set(lost.refusals)].join(', ')})`,
      );
    for (const ignored of results.filter((r) => r.ignoredBecause !== null))
      problems.push(
        `push ${ignored.sha.slice(0, 12)} to ${ignored.repo} accepted but ignored: ${ignored.ignoredBecause}`,
      );
    for (const name of PROCESS_NAMES)
      if (processes[name].stats.kills < options.killsPerProcess)
        problems.push(
          `${name} was killed ${processes[name].stats.kills} times, planned ${options.killsPerProcess}`,
        );
    if (options.killsPerProcess > 0 && Math.max(0, ...outages.temporal) < options.longTemporalOutageMs)
      problems.push(`no Temporal outage lasted ${options.longTemporalOutageMs} ms`);

    passed = problems.length === 0;
    return {
      seed: options.seed,
      repos: repos.length,
      elapsedMs: Date.now() - startedAt,
      settleMs,
      pushes: {
        sent: results.length,
        acceptedFirstTime: accepted.filter((r) => r.attempts === 1).length,
        acceptedAfterRedelivery: accepted.filter((r) => r.attempts > 1).length,
        redeliveries: results.reduce((total, r) => total + r.attempts - 1, 0),
        notAccepted: results.length - accepted.length,
        refusals: countRefusals(results),
      },
      scans: outcome.scans,
      processes: Object.fromEntries(
        PROCESS_NAMES.map((name) => [
          name,
          { ...processes[name].stats, longestOutageMs: Math.max(0, ...outages[name]) },
        ]),
      ) as Record<ProcessName, ProcessReport>,
      problems,
      expectations,
      acceptedDeliveryIds: accepted.map((r) => r.deliveryId),
      workDir: passed && !options.keepWorkDir ? null : workDir,
    };
  } finally {
    process.removeListener('exit', killAll);
    if (stack) await Promise.all([stack.api.stop(), stack.worker.stop()]).then(() => stack!.temporal.stop());
    await github.close();
    await osv.close();
    await checks.close();
    if (passed && !options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
    else log(`logs kept in ${path.join(workDir, 'logs')}`);
  }
}

/** An org through the API, and each repository connected through it (GitHub's id comes back). */
async function connectRepos(
  stack: ChaosStack,
  github: Awaited<ReturnType<typeof startGithubStandIn>>,
  plan: RunPlan,
  runId: string,
  adminToken: string,
): Promise<ChaosRepo[]> {
  const owner = `chaos-${runId}`;
  const call = (token: string, method: string, route: string, body: unknown) =>
    request(`${stack.apiUrl}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const org = await call(adminToken, 'POST', '/orgs', {
    name: 'Chaos',
    slug: owner,
    owner_email: `owner-${owner}@example.test`,
  });
  if (org.status !== 201) throw new Error(`creating the org: ${org.status} ${JSON.stringify(org.body)}`);
  const token = org.body.token as string;
  const orgId = org.body.org.id as string;

  const repos: ChaosRepo[] = [];
  for (const [index, pins] of plan.initialPins.entries()) {
    const name = `repo-${String(index).padStart(2, '0')}`;
    const testRepo = await github.createRepo(owner, name);
    const head = await testRepo.commit({ [MANIFEST_PATH]: requirementsTxt(pins, 'initial') }, 'initial');
    const connected = await call(token, 'POST', `/orgs/${orgId}/repos`, { repo: `${owner}/${name}` });
    if (connected.status !== 201)
      throw new Error(`connecting ${owner}/${name}: ${connected.status} ${JSON.stringify(connected.body)}`);
    repos.push({
      testRepo,
      target: {
        owner,
        name,
        githubId: Number(connected.body.github_id),
        defaultBranch: testRepo.defaultBranch,
      },
      repoId: connected.body.id as string,
      head,
      pins,
      pushed: false,
      chain: Promise.resolve(),
    });
  }
  return repos;
}

/** Polls until every pushed repository is scanned at its head and no scan workflow runs. */
async function waitUntilQuiet(
  stack: ChaosStack,
  checks: ChaosChecks,
  repos: readonly ChaosRepo[],
  expectations: readonly RepoExpectation[],
  options: ChaosOptions,
): Promise<string[]> {
  const deadline = Date.now() + options.settleTimeoutMs;
  let lastReport = 0;
  for (;;) {
    const behind = await checks.behind(expectations);
    const busy = await busyWorkflows(stack, repos).catch((error: unknown) => [`Temporal: ${String(error)}`]);
    const { unfinished } = await checks.scanCounts(expectations);
    if (behind.length === 0 && busy.length === 0 && unfinished === 0) return [];
    if (Date.now() > deadline) {
      return [
        `not quiet ${Math.round(options.settleTimeoutMs / 1000)} s after the chaos: ` +
          `${behind.length} repositories behind, ${busy.length} workflows running, ${unfinished} scans unfinished`,
        ...busy.map((b) => `still running: ${b}`),
      ];
    }
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      options.log(`settling: ${behind.length} behind, ${busy.length} running, ${unfinished} unfinished`);
    }
    await sleep(2_000);
  }
}

/** The closing summary, as `npm run chaos` prints it. */
export function formatChaosReport(report: ChaosReport): string {
  const { pushes, scans, processes } = report;
  const refusals = Object.entries(pushes.refusals)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} x${n}`)
    .join(', ');
  const lines = [
    `chaos run, seed ${report.seed} (replay: CHAOS_SEED=${report.seed}), ${report.repos} repositories, ${(report.elapsedMs / 1000).toFixed(0)} s`,
    `  pushes sent ${pushes.sent}: accepted ${pushes.acceptedFirstTime + pushes.acceptedAfterRedelivery} ` +
      `(${pushes.acceptedFirstTime} at once, ${pushes.acceptedAfterRedelivery} after redelivery), ` +
      `${pushes.redeliveries} redeliveries, ${pushes.notAccepted} never accepted`,
    `  refused sends: ${refusals || 'none'}`,
    `  scans run: ${scans.completed} completed, ${scans.failed} failed` +
      (scans.failed > 0
        ? ` (${Object.entries(scans.failureCodes)
            .map(([c, n]) => `${c} x${n}`)
            .join(', ')})`
        : '') +
      `, ${scans.unfinished} unfinished; caught up ${(report.settleMs / 1000).toFixed(0)} s after the chaos`,
    ...PROCESS_NAMES.map((name) => {
      const p = processes[name];
      return (
        `  ${name.padEnd(8)} kills survived ${p.kills}, exits on its own ${p.crashes}, failed starts ${p.failedStarts}, ` +
        `longest outage ${(p.longestOutageMs / 1000).toFixed(1)} s`
      );
    }),
    report.problems.length === 0
      ? '  PASSED: every repository scanned at its newest push, no duplicated finding, no accepted delivery missing'
      : `  FAILED (${report.problems.length}):\n${report.problems.map((p) => `    - ${p}`).join('\n')}`,
  ];
  if (report.workDir) lines.push(`  logs: ${path.join(report.workDir, 'logs')}`);
  return lines.join('\n');
}
