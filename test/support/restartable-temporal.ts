// A Temporal dev server of one test's own that the test can stop and start again on the same port
// with the same SQLite file, so its workflows survive the outage, as a real cluster's do. The
// suite's shared server cannot be stopped: other test files use it at the same time.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from '../../libs/infrastructure/src/temporal/temporal-cli';
import { REPOGUARD_SEARCH_ATTRIBUTES } from '../../libs/contract/src/search-attributes';
import { DEFAULT_TEMPORAL_NAMESPACE } from '../../libs/contract/src/task-queues';

export interface RestartableTemporal {
  readonly address: string;
  readonly namespace: string;
  /** Stops the server (SIGTERM) and waits until it exited: clients get connection refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port and file; resolves once the namespace answers. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startRestartableTemporal(): Promise<RestartableTemporal> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('No Temporal CLI found (TEMPORAL_CLI, PATH, $(go env GOPATH)/bin)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'repoguard-temporal-'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const namespace = DEFAULT_TEMPORAL_NAMESPACE;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--headless',
    '--db-filename',
    path.join(dir, 'temporal.db'),
    '--namespace',
    namespace,
    ...REPOGUARD_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    '--log-level',
    'error',
  ];
  let child: ChildProcess | null = null;
  let output = '';

  async function waitUntilServing(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child?.exitCode !== null) throw new Error(`the Temporal dev server exited:\n${output}`);
      const connection = await Connection.connect({ address, connectTimeout: 1_000 }).catch(() => null);
      const served = connection
        ? await connection
            .withDeadline(Date.now() + 1_000, () =>
              connection.workflowService.describeNamespace({ namespace }),
            )
            .then(
              () => true,
              () => false,
            )
        : false;
      await connection?.close();
      if (served) return;
      if (Date.now() > deadline) throw new Error(`Temporal did not serve within ${timeoutMs} ms:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const temporal: RestartableTemporal = {
    address,
    namespace,
    async start() {
      if (child) throw new Error('already running');
      output = '';
      child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitUntilServing();
    },
    async stop() {
      const running = child;
      if (!running) return;
      child = null;
      if (running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const killer = setTimeout(() => running.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
    async close() {
      await temporal.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await temporal.start();
  return temporal;
}
