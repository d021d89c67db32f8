import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REPOGUARD_SEARCH_ATTRIBUTES } from '@repoguard/contract';
import { loadConfig } from '@repoguard/infrastructure';
import { ApiConfig } from '../../apps/api/src/config/api.config';
import { WorkerConfig } from '../../apps/worker/src/config/worker.config';

// There is no Docker engine here: this reads the compose file the way compose would and checks
// that the stack it describes is complete and that each app's environment passes its own config
// validation.
const REPO_ROOT = path.resolve(__dirname, '../..');

interface Service {
  image?: string;
  build?: { context: string; target: string };
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

/** Substitutes `${VAR:?msg}` and `${VAR:-default}` as compose does, from the given variables. */
function interpolate(env: Record<string, string>, vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      String(value).replace(/\$\{(\w+)(?::[?-]([^}]*))?\}/g, (_, name: string, fallback?: string) => {
        return vars[name] ?? fallback ?? '';
      }),
    ]),
  );
}

describe('docker-compose.yml', () => {
  it('describes the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'migrate',
        'postgres',
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
        image: expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/),
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

  it('publishes the API, Temporal and the Web UI, and health-checks the stateful services', () => {
    expect(services['api']?.ports).toContain('3000:3000');
    expect(services['temporal']?.ports).toContain('7233:7233');
    expect(services['temporal-ui']?.ports).toContain('8233:8080');
    const checked = Object.keys(services).filter(
      (name) => (services[name]?.healthcheck?.test.length ?? 0) > 0,
    );
    expect(checked.sort()).toEqual(['api', 'postgres', 'redis', 'temporal']);
  });

  it('gives each app an environment its config validation accepts', () => {
    const vars = { POSTGRES_PASSWORD: 'from-the-environment' };
    expect(() => loadConfig(ApiConfig, interpolate(services['api']?.environment ?? {}, vars))).not.toThrow();
    expect(() =>
      loadConfig(WorkerConfig, interpolate(services['worker']?.environment ?? {}, vars)),
    ).not.toThrow();
    const api = loadConfig(ApiConfig, interpolate(services['api']?.environment ?? {}, vars));
    expect(api.DATABASE_URL).toBe('postgresql://repoguard:from-the-environment@postgres:5432/repoguard');
    expect(api.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('keeps secrets out of the file', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|PWD|SECRET|TOKEN|KEY/.test(key)) {
          expect({ service: name, key, value }).toEqual({
            service: name,
            key,
            value: expect.stringMatching(/^\$\{\w+:\?/),
          });
        }
      }
    }
  });
});
