// The API's configuration as operators deploy it: every variable it reads is in .env.example, and
// docker-compose.yml gives it an environment its validation accepts, reachable by Prometheus.
import { getMetadataStorage } from 'class-validator';
import { loadConfig, notificationSettings } from '@repoguard/infrastructure';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  COMPOSE_VARS,
  envExampleVariables,
  prometheusTargets,
  readCompose,
  REPO_ROOT,
  serviceEnvironment,
} from '../../../../test/support/compose';
import { ApiConfig } from './api.config';

describe("the API's configuration in deployment", () => {
  it('.env.example lists every variable the API reads', () => {
    const variables = getMetadataStorage()
      .getTargetValidationMetadatas(ApiConfig, '', true, false)
      .map((m) => m.propertyName);
    expect(variables.length).toBeGreaterThan(5);
    const listed = envExampleVariables();
    expect([...new Set(variables)].filter((v) => !listed.has(v))).toEqual([]);
  });

  it("docker-compose.yml's api service passes the API's config validation", () => {
    const api = loadConfig(ApiConfig, serviceEnvironment('api'));
    expect(api.DATABASE_URL).toBe('postgresql://repoguard:from-the-environment@postgres:5432/repoguard');
    expect(api.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it("runs the notification loops and takes the operator's channel settings from docker-compose.yml", () => {
    const api = loadConfig(
      ApiConfig,
      serviceEnvironment('api', {
        ...COMPOSE_VARS,
        PUBLIC_BASE_URL: 'https://repoguard.example.com',
        NOTIFY_ALLOW_HTTP: 'true',
        SMTP_URL: 'smtps://mail.example.com:465',
        SMTP_FROM: 'alerts@example.com',
      }),
    );
    expect(api.NOTIFY_DISPATCH_INTERVAL_MS).toBeGreaterThan(0);
    expect(api.NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS).toBeGreaterThan(0);
    expect(api.PUBLIC_BASE_URL).toBe('https://repoguard.example.com');
    expect(api.REPOGUARD_ENCRYPTION_KEY).toBe(COMPOSE_VARS['REPOGUARD_ENCRYPTION_KEY']);
    expect(notificationSettings(api)).toMatchObject({
      allowHttp: true,
      smtpUrl: 'smtps://mail.example.com:465',
      smtpFrom: 'alerts@example.com',
    });
  });

  it('listens where Prometheus scrapes it', () => {
    const api = loadConfig(ApiConfig, serviceEnvironment('api'));
    expect(prometheusTargets()['repoguard-api']).toEqual({
      path: '/metrics',
      targets: [`api:${api.API_PORT}`],
    });
    // Loopback (the default) would be unreachable from the prometheus container.
    expect(api.API_HOST).toBe('0.0.0.0');
  });

  it('gives Prometheus the metrics token the API checks, from one variable, never written down', () => {
    const api = loadConfig(ApiConfig, serviceEnvironment('api'));
    expect(api.METRICS_TOKEN).toBe('metrics-token-from-the-environment');
    const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
      secrets: Record<string, { environment?: string }>;
      services: Record<string, { secrets?: string[] }>;
    };
    expect(compose.secrets['metrics_token']).toEqual({ environment: 'METRICS_TOKEN' });
    expect(compose.services['prometheus']?.secrets).toEqual(['metrics_token']);
    expect(readCompose().services['api']?.environment?.['METRICS_TOKEN']).toMatch(/^\$\{METRICS_TOKEN:\?/);
    const prometheus = parse(
      readFileSync(path.join(REPO_ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8'),
    ) as { scrape_configs: { job_name: string; authorization?: unknown }[] };
    expect(prometheus.scrape_configs.find((job) => job.job_name === 'repoguard-api')?.authorization).toEqual({
      type: 'Bearer',
      credentials_file: '/run/secrets/metrics_token',
    });
  });
});
