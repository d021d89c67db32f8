// The API as production runs it: its own process from apps/api/src/main.ts, configured only by its
// environment. Tests reach it over HTTP and read its JSON log lines from stdout.
import { createServer } from 'node:net';
import { registerApiOrigin } from './api-contract/response-recorder';
import { startApp, type RunningProcess, type StartAppOptions } from './processes';
import type { LogCapture } from './log-capture';

export interface ApiProcess {
  readonly url: string;
  readonly process: RunningProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, as an orchestrator stops it; resolves once it exited. */
  close(): Promise<void>;
}

export interface ApiProcessOptions extends StartAppOptions {
  /** Receives every JSON line the API writes (its logs). */
  readonly logs?: LogCapture;
  /** How long it may take to answer /health/live (several API_PROCESSES boot side by side). */
  readonly startTimeoutMs?: number;
}

/** The API's environment as the test environment provides it, with per-test overrides. */
export function testApiEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    DATABASE_URL: process.env['DATABASE_URL'],
    TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'],
    TEMPORAL_NAMESPACE: process.env['TEMPORAL_NAMESPACE'],
    REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    // As the in-process tests had it (NODE_ENV=test): request lines only where a test asks for info.
    LOG_LEVEL: 'warn',
    // One process per API unless a test asks for more: every test starts its own.
    API_PROCESSES: '1',
    // The git stand-ins listen on the loopback, which a git URL may not reach unless opened.
    GIT_ALLOWED_HOSTS: '127.0.0.1',
    // Every test process reaches the API from 127.0.0.1 and shares one Redis: per-address limits
    // would count all of them together. Tests of those limits set their own and use other addresses.
    PRE_AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
    FAILED_AUTH_LIMIT_PER_MINUTE: '100000000',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** A loopback port free right now (the OS picks it), for the API to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Ready once /health/live answers: a probe logs at debug, so any LOG_LEVEL works. */
async function waitUntilLive(app: RunningProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (app.child.exitCode !== null) throw new Error(`the API exited before it answered:\n${app.output()}`);
    const live = await fetch(`${url}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) return;
    if (Date.now() > deadline)
      throw new Error(`the API did not answer within ${timeoutMs} ms:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startApiProcess(
  env: Record<string, string>,
  options: ApiProcessOptions = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = startApp(
    'apps/api/src/main.ts',
    { ...env, API_HOST: '127.0.0.1', API_PORT: String(port) },
    options,
  );
  if (options.logs) {
    let partial = '';
    app.child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{')) options.logs!.destination.write(`${line}\n`);
    });
  }
  try {
    await waitUntilLive(app, url, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    // A process that never answered is nobody's to close: it would outlive the test run.
    app.child.kill('SIGKILL');
    throw error;
  }
  await registerApiOrigin(url);
  return {
    url,
    process: app,
    output: () => app.output(),
    async close() {
      if (app.child.exitCode !== null || app.child.signalCode !== null) return;
      app.child.kill('SIGTERM');
      await app.exited(30_000);
    },
  };
}
