// docker compose sends SIGTERM, waits stop_grace_period (default 10 s), then SIGKILLs: a worker killed
// mid-drain leaves scan steps to time out and retry elsewhere. The grace must outlast the drain.
import { loadConfig } from '@repoguard/infrastructure';
import { WorkerConfig } from '../../apps/worker/src/config/worker.config';
import { composeDurationSeconds, readCompose, serviceEnvironment } from '../support/compose';

describe("the worker's stop grace in docker-compose.yml", () => {
  it('is longer than the drain the worker is configured for', () => {
    const worker = loadConfig(WorkerConfig, serviceEnvironment('worker'));
    const grace = composeDurationSeconds(readCompose().services['worker']?.stop_grace_period);
    expect({ grace, drain: worker.drainSeconds, longer: grace > worker.drainSeconds }).toEqual({
      grace,
      drain: worker.drainSeconds,
      longer: true,
    });
    // The grace is set in the file, not left to the worker's default.
    expect(serviceEnvironment('worker')['WORKER_SHUTDOWN_GRACE_SECONDS']).toBeDefined();
  });

  it('reads compose durations as compose does', () => {
    expect(composeDurationSeconds('60s')).toBe(60);
    expect(composeDurationSeconds('1m30s')).toBe(90);
    expect(composeDurationSeconds('1500ms')).toBe(1.5);
    expect(composeDurationSeconds(undefined)).toBe(10);
    expect(() => composeDurationSeconds('60')).toThrow(/not a compose duration/);
  });
});
