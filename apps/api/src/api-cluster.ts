import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** How long a stop waits for the processes to finish their requests before it kills them. */
const STOP_GRACE_MS = 25_000;
/** A process that dies sooner than this after it started is not started again (a crash loop). */
const MIN_UPTIME_MS = 10_000;

/**
 * The primary of API_PROCESSES processes sharing one port (Node's cluster hands each connection to
 * one of them): it serves nothing itself, starts one again that died after running a while, and on
 * SIGTERM or SIGINT stops them all and exits once they have.
 */
export function superviseApiProcesses(count: number, logger: Logger): void {
  let stopping = false;
  const started = new Map<Worker, number>();
  const start = () => started.set(cluster.fork(), Date.now());

  cluster.on('exit', (worker, code, signal) => {
    const ranMs = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) {
      if (started.size === 0) process.exit();
    } else if (ranMs < MIN_UPTIME_MS) {
      logger.fatal({ pid: worker.process.pid, code, signal }, 'an API process died while starting: stopping');
      stop(1);
    } else {
      logger.error({ pid: worker.process.pid, code, signal }, 'an API process died: starting another');
      start();
    }
  });

  function stop(exitCode: number): void {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    if (started.size === 0) process.exit();
    for (const worker of started.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error(`API processes still running after ${STOP_GRACE_MS} ms: killed`);
      for (const worker of started.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_GRACE_MS).unref();
  }
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));

  logger.info({ processes: count }, `starting ${count} API processes`);
  for (let i = 0; i < count; i++) start();
}
