// The three processes the chaos run kills: a Temporal dev server whose state survives SIGKILL (a
// SQLite file, fixed ports, restarted on the same file), the worker and the API, both from their
// TypeScript sources as the e2e tests start them. Each is a SupervisedProcess.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { DEFAULT_TEMPORAL_NAMESPACE, REPOGUARD_SEARCH_ATTRIBUTES } from '@repoguard/contract';
import { findTemporalCli } from '@repoguard/infrastructure';
import { freePort, testApiEnv } from '../support/api-process';
import { REPO_ROOT, SWC_ENV } from '../support/processes';
import { SupervisedProcess } from './supervised-process';

export interface ChaosStackOptions {
  readonly workDir: string;
  readonly databaseUrl: string;
  readonly githubApiUrl: string;
  readonly osvApiUrl: string;
  readonly webhookSecret: string;
  readonly adminToken: string;
  readonly taskQueue: string;
  readonly log: (line: string) => void;
}

export interface ChaosStack {
  readonly temporal: SupervisedProcess;
  readonly worker: SupervisedProcess;
  readonly api: SupervisedProcess;
  readonly apiUrl: string;
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly logDir: string;
}

const execFileAsync = promisify(execFile);

// Starting from TypeScript on a busy machine takes a while; a life that takes longer is restarted.
const APP_READY_TIMEOUT_MS = 180_000;

async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000), headers: { connection: 'close' } });
  await response.body?.cancel();
  return response.ok;
}

/** Ready once the namespace answers: the server is up and has read its SQLite file. */
async function temporalAnswers(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

const CLI_TYPE: Record<string, string> = { KEYWORD: 'Keyword' };

/**
 * The worker loads a prebuilt bundle, as in production: bundling the workflows on every restart
 * would make each life start slower than the chaos run kills it.
 */
async function bundleWorkflows(target: string): Promise<void> {
  await execFileAsync(
    process.execPath,
    ['-r', '@swc-node/register', path.join(REPO_ROOT, 'scripts/bundle-workflows.ts'), target],
    { cwd: REPO_ROOT, env: { ...process.env, ...SWC_ENV } },
  );
}

function startFromSource(entry: string, env: Record<string, string>, output: number) {
  return spawn(process.execPath, ['-r', '@swc-node/register', path.join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...SWC_ENV, ...env },
    stdio: ['ignore', output, output],
  });
}

/** Builds the three supervised processes (none started yet). */
export async function prepareChaosStack(options: ChaosStackOptions): Promise<ChaosStack> {
  const cli = findTemporalCli();
  if (!cli) {
    throw new Error(
      'No Temporal CLI found (TEMPORAL_CLI, PATH, $(go env GOPATH)/bin): run `npm test` once to build it.',
    );
  }
  const logDir = path.join(options.workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const bundlePath = path.join(options.workDir, 'workflow-bundle.js');
  options.log('bundling the workflows once for every worker life');
  await bundleWorkflows(bundlePath);

  // Fixed for the whole run: a restarted server or API must be found where the others look.
  const [temporalPort, temporalHttpPort, temporalMetricsPort, apiPort, workerMetricsPort] = await Promise.all(
    [1, 2, 3, 4, 5].map(() => freePort()),
  );
  const namespace = DEFAULT_TEMPORAL_NAMESPACE;
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const dbFile = path.join(options.workDir, 'temporal.db');

  const temporal = new SupervisedProcess({
    name: 'temporal',
    logFile: path.join(logDir, 'temporal.log'),
    log: options.log,
    readyTimeoutMs: 60_000,
    spawn: (output) =>
      spawn(
        cli,
        [
          'server',
          'start-dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(temporalPort),
          '--http-port',
          String(temporalHttpPort),
          '--metrics-port',
          String(temporalMetricsPort),
          '--headless',
          '--db-filename',
          dbFile,
          '--namespace',
          namespace,
          ...REPOGUARD_SEARCH_ATTRIBUTES.flatMap((key) => [
            '--search-attribute',
            `${key.name}=${CLI_TYPE[key.type] ?? key.type}`,
          ]),
          '--log-level',
          'warn',
        ],
        { stdio: ['ignore', output, output] },
      ),
    probe: () => temporalAnswers(temporalAddress, namespace),
  });

  const shared = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    GITHUB_API_URL: options.githubApiUrl,
    INTEGRATION_TIMEOUT_MS: '10000',
  };

  const worker = new SupervisedProcess({
    name: 'worker',
    logFile: path.join(logDir, 'worker.log'),
    log: options.log,
    readyTimeoutMs: APP_READY_TIMEOUT_MS,
    spawn: (output) =>
      startFromSource(
        'apps/worker/src/main.ts',
        {
          ...shared,
          OSV_API_URL: options.osvApiUrl,
          WORKFLOW_BUNDLE_PATH: bundlePath,
          GIT_CACHE_DIR: path.join(options.workDir, 'git-cache'),
          WORKER_METRICS_HOST: '127.0.0.1',
          WORKER_METRICS_PORT: String(workerMetricsPort),
        },
        output,
      ),
    // The worker opens its health port only once its Temporal workers are created and polling.
    probe: () => answers(`http://127.0.0.1:${workerMetricsPort}/health/live`),
  });

  const api = new SupervisedProcess({
    name: 'api',
    logFile: path.join(logDir, 'api.log'),
    log: options.log,
    readyTimeoutMs: APP_READY_TIMEOUT_MS,
    spawn: (output) =>
      startFromSource(
        'apps/api/src/main.ts',
        testApiEnv({
          ...shared,
          API_HOST: '127.0.0.1',
          API_PORT: String(apiPort),
          GITHUB_WEBHOOK_SECRET: options.webhookSecret,
          REPOGUARD_ADMIN_TOKEN: options.adminToken,
          // Pushes to one repository a few seconds apart coalesce; the rest scan on their own.
          SCAN_QUIET_WINDOW_MS: '1000',
          SCAN_MAX_WAIT_MS: '5000',
          WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000',
        }),
        output,
      ),
    probe: () => answers(`${apiUrl}/health/live`),
  });

  return { temporal, worker, api, apiUrl, temporalAddress, namespace, logDir };
}
