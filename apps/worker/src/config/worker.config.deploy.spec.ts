// The worker's configuration as operators deploy it: every variable it reads is in .env.example, and
// docker-compose.yml gives it an environment its validation accepts, scraped by Prometheus.
import { getMetadataStorage } from 'class-validator';
import { loadConfig } from '@repoguard/infrastructure';
import { envExampleVariables, prometheusTargets, serviceEnvironment } from '../../../../test/support/compose';
import { WorkerConfig } from './worker.config';

describe("the worker's configuration in deployment", () => {
  it('.env.example lists every variable the worker reads', () => {
    const variables = getMetadataStorage()
      .getTargetValidationMetadatas(WorkerConfig, '', true, false)
      .map((m) => m.propertyName);
    expect(variables.length).toBeGreaterThan(5);
    const listed = envExampleVariables();
    expect([...new Set(variables)].filter((v) => !listed.has(v))).toEqual([]);
  });

  it("docker-compose.yml's worker service passes the worker's config validation", () => {
    expect(() => loadConfig(WorkerConfig, serviceEnvironment('worker'))).not.toThrow();
  });

  it('serves its metrics where Prometheus scrapes them', () => {
    const worker = loadConfig(WorkerConfig, serviceEnvironment('worker'));
    expect(prometheusTargets()['repoguard-worker']).toEqual({
      path: '/metrics',
      targets: [`worker:${worker.WORKER_METRICS_PORT}`],
    });
    // Loopback (the default) would be unreachable; 0 would bind a port Prometheus cannot know.
    expect(worker.WORKER_METRICS_HOST).toBe('0.0.0.0');
    expect(worker.WORKER_METRICS_PORT).toBeGreaterThan(0);
  });
});
