// The worker app itself (apps/worker/src/main.ts) in a child process polling only the re-match
// queue, as a deployment with re-match workers of their own runs it (WORKER_QUEUES=rematch,
// WORKER_NICE): for the flood benchmark's comparison with re-matches in the scan worker's process.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface RematchWorkerProcess {
  close(): Promise<void>;
}

export async function startRematchWorkerProcess(env: Record<string, string>): Promise<RematchWorkerProcess> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', path.join(__dirname, '..', 'apps', 'worker', 'src', 'main.ts')],
    {
      env: { ...process.env, WORKER_QUEUES: 'rematch', WORKER_METRICS_PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error('the re-match worker process did not start in 60 s')),
      60_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (seen.includes('polling ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the re-match worker process exited (${code}) before it polled`));
    });
  });
  // Keep draining its output, or a full pipe would stall it.
  child.stdout.resume();
  return {
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
