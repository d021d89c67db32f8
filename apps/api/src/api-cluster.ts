import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** How long a stop waits for the processes to finish their requests before it kills them. */
const STOP_GRACE_MS = 25_000;
/** The longest wait before starting a process again after others died in a row. */
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The primary of API_PROCESSES processes sharing one port (Node's cluster hands each connection to
 * one of them): it serves nothing itself, starts one again that died, and on SIGTERM or SIGINT
 * stops them all and exits once they have. Before any process has listened, a death is a boot
 * failure (bad settings, say) and stops the API; after, a process that dies, while starting too
 * (PostgreSQL away for a moment), is started again, waiting longer after each death in a row.
 */
export function superviseApiProcesses(count: number, logger: Logger): void {
  let stopping = false;
  let served = false;
  let deathsInRow = 0;
  const running = new Set<Worker>();
  const start = () => running.add(cluster.fork());

  cluster.on('listening', () => {
    served = true;
    deathsInRow = 0;
  });
  cluster.on('exit', (worker, code, signal) => {
    running.delete(worker);
    if (stopping) {
      if (running.size === 0) process.exit();
    } else if (!served) {
      logger.fatal({ pid: worker.process.pid, code, signal }, 'an API process died while starting: stopping');
      stop(1);
    } else {
      const delayMs = Math.min(MAX_RESTART_DELAY_MS, 250 * 2 ** deathsInRow++);
      logger.error(
        { pid: worker.process.pid, code, signal, delayMs },
        'an API process died: starting another',
      );
      setTimeout(() => {
        if (!stopping) start();
      }, delayMs).unref();
    }
  });

  function stop(exitCode: number): void {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    if (running.size === 0) process.exit();
    for (const worker of running) worker.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error(`API processes still running after ${STOP_GRACE_MS} ms: killed`);
      for (const worker of running) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_GRACE_MS).unref();
  }
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));

  logger.info({ processes: count }, `starting ${count} API processes`);
  for (let i = 0; i < count; i++) start();
}
