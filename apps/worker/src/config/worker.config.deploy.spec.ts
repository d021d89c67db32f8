// The worker's configuration as operators deploy it: every variable it reads is in .env.example, and
// docker-compose.yml gives it an environment its validation accepts, scraped by Prometheus.
import { getMetadataStorage } from 'class-validator';
import { loadConfig, notificationSettings } from '@repoguard/infrastructure';
import {
  COMPOSE_VARS,
  composeDurationSeconds,
  envExampleVariables,
  prometheusTargets,
  readCompose,
  serviceEnvironment,
} from '../../../../test/support/compose';
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

  it("hands the operator's notification settings from docker-compose.yml to its senders", () => {
    const worker = loadConfig(
      WorkerConfig,
      serviceEnvironment('worker', {
        ...COMPOSE_VARS,
        PUBLIC_BASE_URL: 'https://repoguard.example.com',
        NOTIFY_ALLOWED_HOSTS: 'chat.internal,10.20.0.0/16',
        NOTIFY_ALLOW_HTTP: 'true',
        SMTP_URL: 'smtp://alerts:pw@mail.internal:587',
        SMTP_FROM: 'RepoGuard <alerts@example.com>',
      }),
    );
    expect(worker.PUBLIC_BASE_URL).toBe('https://repoguard.example.com');
    expect(worker.REPOGUARD_ENCRYPTION_KEY).toBe(COMPOSE_VARS['REPOGUARD_ENCRYPTION_KEY']);
    expect(notificationSettings(worker)).toMatchObject({
      allowHttp: true,
      smtpUrl: 'smtp://alerts:pw@mail.internal:587',
      smtpFrom: 'RepoGuard <alerts@example.com>',
    });
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

  // compose sends SIGTERM, waits stop_grace_period (default 10 s), then SIGKILLs: a worker killed
  // mid-drain leaves its scan steps to time out and run again elsewhere.
  it('gets a stop grace in docker-compose.yml longer than the drain it is configured for', () => {
    const worker = loadConfig(WorkerConfig, serviceEnvironment('worker'));
    const grace = composeDurationSeconds(readCompose().services['worker']?.stop_grace_period);
    expect({ grace, drain: worker.drainSeconds, longer: grace > worker.drainSeconds }).toEqual({
      grace,
      drain: worker.drainSeconds,
      longer: true,
    });
    // Set in the file, not left to the worker's default.
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
