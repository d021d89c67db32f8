import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REPOGUARD_SEARCH_ATTRIBUTES } from '@repoguard/contract';
import { DEV_SERVER_FAIRNESS_CONFIG } from '@repoguard/infrastructure';
import { prometheusTargets, readCompose, REPO_ROOT, serviceEnvironment } from '../support/compose';

// There is no Docker engine here: this reads the compose file the way compose would and checks that
// the stack it describes is complete. That each app's environment passes its own config validation
// is checked beside each app's config (apps/*/src/config/*.config.deploy.spec.ts).
const compose = readCompose();
const services = compose.services;

describe('docker-compose.yml', () => {
  it('describes the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'grafana',
        'migrate',
        'postgres',
        'prometheus',
        'redis',
        'temporal',
        'temporal-schema',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ].sort(),
    );
  });

  it('pins every image and builds the apps from the multi-stage Dockerfile', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        expect({ name, target: service.build.target }).toEqual({
          name,
          target: expect.stringMatching(/^(api|worker)$/),
        });
        continue;
      }
      expect({ name, image: service.image }).toEqual({
        name,
        image: expect.stringMatching(/^[\w./-]+:v?\d[\w.-]*$/),
      });
    }
    const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
    for (const stage of ['build', 'runtime', 'api', 'worker'])
      expect(dockerfile).toMatch(new RegExp(`^FROM .+ AS ${stage}$`, 'm'));
  });

  it('runs Temporal on PostgreSQL through a schema job, not the deprecated auto-setup image', () => {
    expect(services['temporal']?.image).toMatch(/^temporalio\/server:/);
    expect(services['temporal-schema']?.image).toMatch(/^temporalio\/admin-tools:/);
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
    expect(services['temporal']?.depends_on?.['temporal-schema']?.condition).toBe(
      'service_completed_successfully',
    );
    expect(JSON.stringify(compose)).not.toContain('auto-setup');
  });

  it.each(['deploy/temporal/setup-namespace.sh', 'scripts/lib.sh'])(
    '%s registers every search attribute the workflows set, as Keyword',
    (file) => {
      const script = readFileSync(path.join(REPO_ROOT, file), 'utf8');
      for (const key of REPOGUARD_SEARCH_ATTRIBUTES) {
        expect({ name: key.name, type: key.type }).toEqual({ name: expect.any(String), type: 'KEYWORD' });
        expect(script).toMatch(new RegExp(`\\b${key.name}\\b`));
      }
    },
  );

  it("has Temporal honour the scans' fairness keys, with the dynamic config the dev server is given", () => {
    const temporal = services['temporal'];
    expect(temporal?.environment?.['DYNAMIC_CONFIG_FILE_PATH']).toBe('/scripts/dynamicconfig.yaml');
    expect(temporal?.volumes).toContain('./deploy/temporal:/scripts:ro');
    const file = parse(
      readFileSync(path.join(REPO_ROOT, 'deploy/temporal/dynamicconfig.yaml'), 'utf8'),
    ) as Record<string, { value: unknown }[]>;
    const asArgs = Object.entries(file).map(([key, [setting]]) => `${key}=${String(setting?.value)}`);
    expect(asArgs.sort()).toEqual([...DEV_SERVER_FAIRNESS_CONFIG].sort());
    expect(DEV_SERVER_FAIRNESS_CONFIG).toContain('matching.enableFairness=true');
    const up = readFileSync(path.join(REPO_ROOT, 'scripts/up.sh'), 'utf8');
    for (const value of DEV_SERVER_FAIRNESS_CONFIG) expect(up).toContain(value);
  });

  it('publishes the API, Temporal, the Web UI, Prometheus and Grafana, and health-checks the services', () => {
    expect(services['api']?.ports).toContain('3000:3000');
    expect(services['temporal']?.ports).toContain('7233:7233');
    expect(services['temporal-ui']?.ports).toContain('8233:8080');
    expect(services['prometheus']?.ports).toContain('9090:9090');
    expect(services['grafana']?.ports).toContain('3001:3000');
    const checked = Object.keys(services).filter(
      (name) => (services[name]?.healthcheck?.test.length ?? 0) > 0,
    );
    expect(checked.sort()).toEqual([
      'api',
      'grafana',
      'postgres',
      'prometheus',
      'redis',
      'temporal',
      'worker',
    ]);
  });

  describe('metrics: Prometheus and Grafana', () => {
    /** The files a service mounts from the repository, as `{ source, target, readOnly }`. */
    function bindMounts(service: string): { source: string; target: string; readOnly: boolean }[] {
      return (services[service]?.volumes ?? [])
        .filter((volume) => volume.startsWith('./'))
        .map((volume) => {
          const [source = '', target = '', mode] = volume.split(':');
          return { source, target, readOnly: mode === 'ro' };
        });
    }
    const prometheusConfig = parse(
      readFileSync(path.join(REPO_ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8'),
    ) as {
      global: { scrape_interval: string };
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    const readYaml = <T>(file: string): T => parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as T;

    it('runs them from pinned images with configuration files from the repository, read-only', () => {
      expect(services['prometheus']?.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
      expect(services['grafana']?.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
      for (const service of ['prometheus', 'grafana']) {
        const mounts = bindMounts(service);
        expect(mounts.length).toBeGreaterThan(0);
        for (const mount of mounts) {
          expect({ ...mount, exists: existsSync(path.join(REPO_ROOT, mount.source)) }).toEqual({
            ...mount,
            readOnly: true,
            exists: true,
          });
        }
      }
      // The image's default command reads this path.
      expect(bindMounts('prometheus')).toContainEqual({
        source: './deploy/prometheus/prometheus.yml',
        target: '/etc/prometheus/prometheus.yml',
        readOnly: true,
      });
    });

    it('scrapes the API and the worker every 15 s (their ports: apps/*/src/config/*.deploy.spec.ts)', () => {
      expect(prometheusConfig.global.scrape_interval).toBe('15s');
      expect(Object.keys(prometheusTargets()).sort()).toEqual(['repoguard-api', 'repoguard-worker']);
    });

    it('points Grafana at the prometheus service and at the mounted dashboards', () => {
      const { datasources } = readYaml<{ datasources: { url: string }[] }>(
        'deploy/grafana/provisioning/datasources/prometheus.yml',
      );
      const prometheusPort = services['prometheus']?.ports?.[0]?.split(':').pop();
      expect(datasources.map((d) => d.url)).toEqual([`http://prometheus:${prometheusPort}`]);
      const mounts = bindMounts('grafana');
      expect(mounts).toContainEqual({
        source: './deploy/grafana/provisioning',
        target: '/etc/grafana/provisioning',
        readOnly: true,
      });
      const { providers } = readYaml<{ providers: { options: { path: string } }[] }>(
        'deploy/grafana/provisioning/dashboards/provider.yml',
      );
      const dashboards = mounts.find((mount) => mount.target === providers[0]?.options.path);
      expect(dashboards?.source).toBe('./deploy/grafana/dashboards');
      const home = services['grafana']?.environment?.['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'] ?? '';
      expect(home.startsWith(`${dashboards?.target}/`)).toBe(true);
      const homeFile = path.join(REPO_ROOT, dashboards?.source ?? '', path.basename(home));
      expect(existsSync(homeFile)).toBe(true);
    });
  });

  it('keeps secrets out of the file', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        // SMTP_URL may carry the SMTP login.
        if (/PASSWORD|PWD|SECRET|TOKEN|KEY|SMTP_URL/.test(key)) {
          expect({ service: name, key, value }).toEqual({
            service: name,
            key,
            // Required from the environment, or optional and empty unless the operator sets it.
            value: expect.stringMatching(/^\$\{\w+(:\?.*|:-)\}$/),
          });
        }
      }
    }
  });

  describe('notifications', () => {
    // What the API's test-send and dispatcher and the worker's deliveries read: the two must agree
    // (a channel the API accepted is judged again at each send, by the worker).
    const SHARED = [
      'REPOGUARD_ENCRYPTION_KEY',
      'PUBLIC_BASE_URL',
      'NOTIFY_ALLOWED_HOSTS',
      'NOTIFY_ALLOW_HTTP',
      'SMTP_URL',
      'SMTP_FROM',
    ];
    const API_ONLY = ['NOTIFY_DISPATCH_INTERVAL_MS', 'NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS'];
    const raw = (service: string) => services[service]?.environment ?? {};

    it('gives the API and the worker the same settings, each from the variable of its name', () => {
      for (const service of ['api', 'worker']) {
        for (const key of SHARED) {
          expect({ service, key, value: raw(service)[key] }).toEqual({
            service,
            key,
            value: expect.stringMatching(new RegExp(`^\\$\\{${key}(:[?-][^}]*)?\\}$`)),
          });
        }
      }
      expect(SHARED.map((key) => raw('worker')[key])).toEqual(SHARED.map((key) => raw('api')[key]));
      for (const key of API_ONLY)
        expect({ key, set: raw('api')[key] !== undefined }).toEqual({ key, set: true });
    });

    it('requires the encryption key that seals channel secrets, and defaults the rest to off', () => {
      expect(raw('api')['REPOGUARD_ENCRYPTION_KEY']).toMatch(/^\$\{REPOGUARD_ENCRYPTION_KEY:\?/);
      const env = serviceEnvironment('worker');
      expect({
        publicBaseUrl: env['PUBLIC_BASE_URL'],
        allowedHosts: env['NOTIFY_ALLOWED_HOSTS'],
        allowHttp: env['NOTIFY_ALLOW_HTTP'],
        smtpUrl: env['SMTP_URL'],
        smtpFrom: env['SMTP_FROM'],
      }).toEqual({ publicBaseUrl: '', allowedHosts: '', allowHttp: 'false', smtpUrl: '', smtpFrom: '' });
    });
  });
});
