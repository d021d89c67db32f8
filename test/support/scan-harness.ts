// Everything a scan needs, for real: PostgreSQL, the Temporal server, a worker on a task queue of
// its own, and the GitHub and OSV stand-ins. Only GitHub and OSV (outside this machine) are
// stood in for; they speak the same HTTP APIs the real clients use.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import { createActivities, type Activities } from '@repoguard/activities';
import type { RepoScanResult, ScanRequest } from '@repoguard/contract';
import type { OsvRecord, PullRequestCheckPublisher, ScanTarget } from '@repoguard/domain';
import {
  buildActivityDeps,
  bundleWorkflows,
  IpaddrOutboundAddressPolicy,
  PiscinaManifestParserPool,
  createMikroOrmConfig,
  OrganizationEntity,
  PostgresAdvisoryMirror,
  rematchStandsBackInterceptor,
  SCAN_STEP_GAP_MS,
  ScanMetricsQuery,
  ScanStepsInFlight,
  scanStepsInFlightInterceptor,
  scanLogAttributesInterceptor,
  scanMetricsInterceptor,
  withClientTracing,
  withWorkerTracing,
  RepositoryEntity,
  TemporalScanRequester,
  WorkerMetrics,
} from '@repoguard/infrastructure';
import { startGithubStandIn, type GithubStandIn, type GithubStandInApp } from '../stand-ins/github-stand-in';
import { startOsvStandIn, type OsvStandIn } from '../stand-ins/osv-stand-in';
import { withRematchSnapshot } from './scan-step-stubs';
import { createTemporalHarness, type TemporalHarness, uniqueName } from './temporal-harness';

export interface ScanHarness {
  readonly orm: MikroORM;
  readonly github: GithubStandIn;
  readonly osv: OsvStandIn;
  readonly temporal: TemporalHarness;
  readonly taskQueue: string;
  /** Where re-match steps run (a worker with two slots polls it, as in production). */
  readonly rematchTaskQueue: string;
  readonly requester: TemporalScanRequester;
  readonly orgId: string;
  readonly githubApp: GithubStandInApp | null;
  /** Connects a repository of the GitHub stand-in to the harness's org. */
  connectRepo(owner: string, name: string, defaultBranch?: string): Promise<ScanTarget>;
  request(target: ScanTarget, request?: Partial<ScanRequest>): Promise<{ workflowId: string; runId: string }>;
  /** Waits for the repo's workflow chain to finish (following continue-as-new) and returns the last result. */
  waitForScan(target: ScanTarget): Promise<RepoScanResult>;
  /**
   * `workflowBundleCode`: the workflows from this bundle (bundleWorkflows' output, e.g. of an earlier
   * commit for a benchmark's before/after), registered as production registers its bundle.
   * `rematchOpenLimit`: this worker's REMATCH_OPEN_LIMIT (default the harness's).
   * `rematchWorker: false`: nothing polls the re-match queue until `startRematchWorker`.
   */
  startWorker(
    overrides?: Partial<Activities>,
    options?: {
      readonly workflowBundleCode?: string;
      readonly rematchOpenLimit?: number;
      readonly rematchWorker?: boolean;
    },
  ): Promise<void>;
  /** Starts the re-match queue's worker of the last `startWorker` (again, or for the first time). */
  startRematchWorker(): Promise<void>;
  /** Stops only the re-match queue's worker (for a benchmark that polls it from another process). */
  stopRematchWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface ScanHarnessOptions {
  readonly name: string;
  readonly advisories: readonly OsvRecord[];
  readonly quietWindowMs?: number;
  readonly maxWaitMs?: number;
  readonly limits?: { maxManifestBytes: number; maxScanBytes: number };
  /** REPOGUARD_ENCRYPTION_KEY for the worker: orgs' stored GitHub tokens are used. */
  readonly encryptionKey?: string;
  /**
   * A GitHub the caller runs (for benchmarks: the stand-in in a child process, so its git stays off
   * this event loop). The harness then starts no stand-in of its own and `harness.github` throws.
   */
  readonly githubApiUrl?: string;
  /** Registers a GitHub App on the stand-in and has the worker authenticate as it. */
  readonly withGithubApp?: boolean;
  /** mirror: the advisories are imported into the PostgreSQL mirror and the worker matches there. */
  readonly osvMode?: 'api' | 'mirror';
  /**
   * For benchmarks: the worker as production runs it (the prebuilt workflow bundle, tracing when
   * started in this process), with ('on') or without ('off') metrics.
   */
  readonly observability?: 'off' | 'on';
  /** A CA the worker's git trusts (the git HTTPS stand-in's); file:// URLs are always allowed here. */
  readonly gitCaFile?: string;
  /** What the worker's git may reach besides public hosts (GIT_ALLOWED_HOSTS); default: the loopback, where the stand-ins are. */
  readonly gitAllowedHosts?: readonly string[];
  /** The worker's SMTP_URL (the operator's mail server, for email channels without their own). */
  readonly smtpUrl?: string;
  /**
   * A database of the test's own (prepared by it). For tests of what spans every org: the advisory
   * mirror and re-matching, whose counts another test's imports would change.
   */
  readonly databaseUrl?: string;
  /** The worker's instance GITHUB_TOKEN (public repositories only). */
  readonly githubToken?: string;
  /** The worker's GIT_SSH_KEY_PATH and GIT_SSH_KEY_ORGS. */
  readonly sshKey?: { readonly path: string; readonly orgs: readonly string[] };
  /** The scan steps' heartbeat timeout (a workflow input; default the workflow's own). */
  readonly heartbeatTimeoutMs?: number;
  /**
   * The worker's REMATCH_STANDS_BACK_MS (default production's, 10 s): how long a re-match step waits
   * while a scan step runs in the worker. 0: off.
   */
  readonly rematchStandsBackMs?: number;
  /** The worker's REMATCH_OPEN_LIMIT (default production's, 10). 0: a sync asks all at once. */
  readonly rematchOpenLimit?: number;
  /** Where the worker publishes pull-request checks (default: the worker's own wiring). */
  readonly pullRequestCheckPublisher?: PullRequestCheckPublisher;
  /** The worker's PUBLIC_BASE_URL (the API's): check runs' details links and statuses' target URLs. */
  readonly publicBaseUrl?: string;
  /** The worker's parser pool: its deadline (default 10 s) and a test parser module in its threads. */
  readonly parsing?: { readonly deadlineMs?: number; readonly parserModule?: string };
}

/** A re-match's one activity runs the steps a test overrode, as the worker's runs its own. */
function withRematchOf(registered: Activities, overrides: Partial<Activities>): Activities {
  return overrides.rematchSnapshot ? registered : withRematchSnapshot(registered);
}

export async function startScanHarness(options: ScanHarnessOptions): Promise<ScanHarness> {
  const databaseUrl = options.databaseUrl ?? process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run through the e2e Jest config');
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 5 }));
  if (options.githubApiUrl && options.withGithubApp)
    throw new Error('withGithubApp needs the stand-in the harness starts, not githubApiUrl');
  const github = options.githubApiUrl ? null : await startGithubStandIn();
  const githubApiUrl = github?.url ?? options.githubApiUrl ?? '';
  const githubApp = options.withGithubApp && github ? github.createApp() : null;
  const osv = await startOsvStandIn([...options.advisories]);
  const temporal = await createTemporalHarness();
  const taskQueue = uniqueName(options.name);
  // As the worker runs it; with the default deadline only a parser bug could trip it.
  const parserPool = new PiscinaManifestParserPool({
    threads: 2,
    deadlineMs: options.parsing?.deadlineMs ?? 10_000,
    ...(options.parsing?.parserModule ? { parserModule: options.parsing.parserModule } : {}),
  });
  const gitCacheDir = mkdtempSync(path.join(os.tmpdir(), 'repoguard-git-cache-'));
  const production = options.observability !== undefined;
  const metricsQuery = new ScanMetricsQuery(orm.em);
  const workerMetrics =
    options.observability === 'on' ? new WorkerMetrics(metricsQuery, () => undefined) : null;
  const productionBundle = production ? { code: await bundleWorkflows() } : null;
  const requesterClient = production
    ? new Client(
        withClientTracing({
          connection: temporal.client.connection,
          namespace: temporal.client.options.namespace,
        }),
      )
    : temporal.client;
  const requester = new TemporalScanRequester(requesterClient, taskQueue, {
    quietWindowMs: options.quietWindowMs ?? 300,
    maxWaitMs: options.maxWaitMs ?? 5_000,
    ...(options.heartbeatTimeoutMs ? { heartbeatTimeoutMs: options.heartbeatTimeoutMs } : {}),
  });

  if (options.osvMode === 'mirror')
    await new PostgresAdvisoryMirror(orm.em.fork()).import(options.advisories);
  const em = orm.em.fork();
  const org = em.create(OrganizationEntity, { name: options.name, slug: `org-${randomUUID().slice(0, 12)}` });
  await em.flush();

  const rematchTaskQueue = `${taskQueue}-rematch`;
  let workers: { worker: Worker; running: Promise<void> }[] = [];
  // The last startWorker's re-match worker, to start again on its own.
  let startRematch: (() => Promise<void>) | undefined;

  const activities = (
    overrides: Partial<Activities> = {},
    rematchOpenLimit = options.rematchOpenLimit ?? 10,
  ): Activities =>
    withRematchOf(
      {
        ...createActivities(
          buildActivityDeps(orm.em, {
            workerIdentity: `test-${taskQueue}`,
            parserPool,
            rematchOpenLimit,
            githubApiUrl,
            ...(options.githubToken ? { githubToken: options.githubToken } : {}),
            osvApiUrl: osv.url,
            ...(options.osvMode ? { osvMode: options.osvMode } : {}),
            ...(workerMetrics ? { metrics: workerMetrics.integrations } : {}),
            git: {
              cacheDir: gitCacheDir,
              allowFileUrls: true,
              outbound: new IpaddrOutboundAddressPolicy({
                allowedHosts: options.gitAllowedHosts ?? ['127.0.0.1'],
              }),
              ...(options.gitCaFile ? { caFile: options.gitCaFile } : {}),
              ...(options.sshKey ? { sshKeyPath: options.sshKey.path, sshKeyOrgs: options.sshKey.orgs } : {}),
            },
            timeoutMs: 10_000,
            // The notification receivers of the tests listen on the loopback, over http.
            notifications: {
              outbound: new IpaddrOutboundAddressPolicy({ allowedHosts: ['127.0.0.1'] }),
              allowHttp: true,
              ...(options.smtpUrl ? { smtpUrl: options.smtpUrl } : {}),
            },
            ...(options.limits ? { limits: options.limits } : {}),
            ...(options.encryptionKey ? { encryption: { key: options.encryptionKey } } : {}),
            ...(githubApp
              ? { githubApp: { appId: githubApp.appId, privateKey: githubApp.privateKeyPem } }
              : {}),
            ...(options.pullRequestCheckPublisher
              ? { pullRequestCheckPublisher: options.pullRequestCheckPublisher }
              : {}),
            ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
          }),
        ),
        ...overrides,
      },
      overrides,
    );

  const harness: ScanHarness = {
    orm,
    get github() {
      if (!github) throw new Error('this harness uses a GitHub of the caller (githubApiUrl)');
      return github;
    },
    osv,
    temporal,
    taskQueue,
    rematchTaskQueue,
    requester,
    orgId: org.id,
    githubApp,
    async connectRepo(owner, name, defaultBranch = 'main') {
      const fork = orm.em.fork();
      const repo = fork.create(RepositoryEntity, { orgId: org.id, owner, name, defaultBranch });
      await fork.flush();
      return { orgId: org.id, repoId: repo.id, owner, name };
    },
    request(target, request = {}) {
      return requester.request(target, { trigger: 'api', requestedBy: 'e2e', ...request });
    },
    async waitForScan(target) {
      return temporal.client.workflow.getHandle(`repo-scan:${target.repoId}`).result();
    },
    async startWorker(overrides, startOptions = {}) {
      const registered = activities(overrides, startOptions.rematchOpenLimit);
      const bundle = startOptions.workflowBundleCode
        ? { code: startOptions.workflowBundleCode }
        : productionBundle;
      // As the worker app: the re-match worker stands back while the scan worker runs steps.
      const scanSteps = new ScanStepsInFlight();
      const standsBackMs = options.rematchStandsBackMs ?? 10_000;
      const asInProduction = (
        worker: Pick<WorkerOptions, 'taskQueue' | 'activities'> & Partial<WorkerOptions>,
        first: ActivityInterceptorsFactory[],
      ) =>
        bundle
          ? withWorkerTracing({
              ...worker,
              workflowBundle: bundle,
              interceptors: {
                activity: [
                  ...first,
                  scanLogAttributesInterceptor,
                  ...(workerMetrics
                    ? [scanMetricsInterceptor(workerMetrics, metricsQuery, () => undefined)]
                    : []),
                ],
              },
            } as WorkerOptions)
          : { ...worker, interceptors: { activity: first } };
      const rematchWorker = () =>
        temporal.createWorker(
          asInProduction(
            {
              taskQueue: rematchTaskQueue,
              activities: registered,
              maxConcurrentActivityTaskExecutions: 2,
              // As the worker app's (REMATCH_HEARTBEAT_THROTTLE): a cancelled re-match hears of it within a second.
              maxHeartbeatThrottleInterval: '1 second',
            },
            standsBackMs > 0
              ? [
                  rematchStandsBackInterceptor(scanSteps, {
                    graceMs: SCAN_STEP_GAP_MS,
                    maxHoldMs: standsBackMs,
                  }),
                ]
              : [],
          ),
        );
      startRematch = async () => {
        const worker = await rematchWorker();
        workers.push({ worker, running: worker.run() });
      };
      const created = [
        await temporal.createWorker(
          asInProduction({ taskQueue, activities: registered }, [scanStepsInFlightInterceptor(scanSteps)]),
        ),
        ...(startOptions.rematchWorker === false ? [] : [await rematchWorker()]),
      ];
      workers = created.map((worker) => ({ worker, running: worker.run() }));
    },
    async startRematchWorker() {
      if (!startRematch) throw new Error('startWorker first');
      await startRematch();
    },
    async stopRematchWorker() {
      const rematch = workers.filter(({ worker }) => worker.options.taskQueue === rematchTaskQueue);
      for (const { worker } of rematch) worker.shutdown();
      await Promise.all(rematch.map(({ running }) => running));
      workers = workers.filter((w) => !rematch.includes(w));
    },
    async stopWorker() {
      for (const { worker } of workers) worker.shutdown();
      await Promise.all(workers.map(({ running }) => running));
      workers = [];
    },
    async close() {
      await harness.stopWorker();
      await parserPool.close();
      await temporal.close();
      await github?.close();
      await osv.close();
      await orm.close(true);
      rmSync(gitCacheDir, { recursive: true, force: true });
    },
  };
  await harness.startWorker();
  return harness;
}
