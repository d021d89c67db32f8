// docker-compose.yml read the way compose reads it (there is no Docker engine here): its services and
// their environments with `${VAR:?msg}` / `${VAR:-default}` substituted.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface ComposeService {
  image?: string;
  build?: { context: string; target: string };
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  /** A compose duration such as `60s` or `1m30s`. */
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function readCompose(): ComposeFile {
  return parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as ComposeFile;
}

/** What an operator must export for `docker compose up` (the file's `${VAR:?}` variables). */
export const COMPOSE_VARS: Readonly<Record<string, string>> = {
  POSTGRES_PASSWORD: 'from-the-environment',
  METRICS_TOKEN: 'metrics-token-from-the-environment',
  // 32 bytes, base64, as `openssl rand -base64 32` prints them.
  REPOGUARD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

/** Substitutes `${VAR:?msg}` and `${VAR:-default}` as compose does, from the given variables. */
export function interpolate(
  env: Record<string, string>,
  vars: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      String(value).replace(/\$\{(\w+)(?::[?-]([^}]*))?\}/g, (_, name: string, fallback?: string) => {
        return vars[name] ?? fallback ?? '';
      }),
    ]),
  );
}

/** A service's environment as its container gets it, given what the operator exported (`vars`). */
export function serviceEnvironment(
  service: string,
  vars: Readonly<Record<string, string>> = COMPOSE_VARS,
): Record<string, string> {
  return interpolate(readCompose().services[service]?.environment ?? {}, vars);
}

/** The variables `.env.example` lists. */
export function envExampleVariables(): Set<string> {
  return new Set(
    readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8')
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter((name): name is string => !!name),
  );
}

/** Prometheus's scrape targets by job, from the mounted configuration. */
export function prometheusTargets(): Record<string, { path: string; targets: string[] }> {
  const config = parse(readFileSync(path.join(REPO_ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
  };
  return Object.fromEntries(
    config.scrape_configs.map((job) => [
      job.job_name,
      { path: job.metrics_path ?? '/metrics', targets: job.static_configs.flatMap((c) => c.targets) },
    ]),
  );
}

/** A compose duration (`1m30s`, `45s`, `500ms`) in seconds; Docker's default stop grace is 10 s. */
export function composeDurationSeconds(value: string | undefined, fallback = 10): number {
  if (value === undefined) return fallback;
  if (value === '') throw new Error('not a compose duration: (empty)');
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };
  const part = /(\d+(?:\.\d+)?)(ms|us|[hms])/y;
  let seconds = 0;
  while (part.lastIndex < value.length) {
    const match = part.exec(value);
    if (!match) throw new Error(`not a compose duration: ${value}`);
    seconds += Number(match[1]) * (units[match[2] ?? 's'] ?? 0);
  }
  return seconds;
}
