import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { githubAppEnabled, SharedConfig } from '@repoguard/infrastructure';
import { isTrustedProxyList } from '../rate-limit/source-address';

export const API_CONFIG = Symbol('API_CONFIG');

/** Every variable the API reads, validated once at boot (see .env.example). */
export class ApiConfig extends SharedConfig {
  @Matches(/^[^\s:]+$|^\[[0-9a-f:]+\]$/i, { message: 'must be a host name or IP address' })
  API_HOST: string = '127.0.0.1';

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must be between 0 and 65535' })
  @Max(65535, { message: 'must be between 0 and 65535' })
  API_PORT: number = 3000;

  /**
   * API processes sharing API_PORT (Node's cluster): `auto` is one per CPU, at most 4, when
   * REDIS_URL is set, else 1. Several need Redis: rate limits counted in memory would be per process.
   */
  @Matches(/^(?:auto|[1-9]|[1-5]\d|6[0-4])$/, { message: 'must be auto or a whole number from 1 to 64' })
  @ValidateBy(
    {
      name: 'severalProcessesNeedRedis',
      validator: {
        validate: (value: unknown, args) =>
          value === 'auto' || Number(value) <= 1 || (args?.object as ApiConfig).REDIS_URL !== undefined,
      },
    },
    { message: 'needs REDIS_URL above 1: rate limits counted in memory would be per process' },
  )
  // One by default: more processes are an operator's choice (memory, one /metrics each), as with replicas.
  API_PROCESSES: string = '1';

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  TEMPORAL_UI_URL: string = 'http://127.0.0.1:8233';

  /** Where GitHub reaches this API: required with the GitHub App, and https outside development. */
  @ValidateIf((c: ApiConfig) => c.PUBLIC_BASE_URL !== undefined || githubAppEnabled(c))
  @IsDefined({ message: 'is required when the GitHub App is enabled' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  @ValidateBy(
    {
      name: 'httpsOutsideDevelopment',
      validator: {
        validate: (value: unknown, args) =>
          (args?.object as ApiConfig).NODE_ENV === 'development' || String(value).startsWith('https://'),
      },
    },
    { message: 'must be an https URL outside development (GitHub delivers webhooks there)' },
  )
  PUBLIC_BASE_URL?: string;

  /** The instance administrator's bearer token: bootstraps orgs (POST /api/v1/orgs). Unset: no such route. */
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters: it is a password' })
  REPOGUARD_ADMIN_TOKEN?: string;

  /** Requests per minute per token, unless the org sets its own limit. */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of requests per minute' })
  @Min(1, { message: 'must be at least 1' })
  RATE_LIMIT_PER_MINUTE: number = 600;

  /**
   * How long an instance reuses a checked bearer token without asking the database. Revocations and
   * membership changes reach every instance at once over Redis; this bounds a missed message. 0, or
   * no Redis (or Redis down): every request looks its token up.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0, { message: 'must be at least 0' })
  @Max(300, { message: 'must be at most 300' })
  AUTH_CACHE_TTL_SECONDS: number = 30;

  /** The Redis channel of those announcements: installations sharing one Redis need one each. */
  @Matches(/^\S+$/, { message: 'must be a channel name without spaces' })
  AUTH_CACHE_CHANNEL: string = 'repoguard:credentials-changed';

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(1, { message: 'must be at least 1' })
  INVITATION_TTL_HOURS: number = 168;

  /** Debounce of scan requests (see the repo-scan workflow); unset: the workflow's defaults (10 s / 2 min). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  SCAN_QUIET_WINDOW_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  SCAN_MAX_WAIT_MS?: number;

  /**
   * Scan requests are committed to PostgreSQL first (scan_request_outbox) and relayed to Temporal
   * by a loop in every API process: how often it looks for requests to send...
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(50, { message: 'must be at least 50' })
  @Max(60_000, { message: 'must be at most 60000' })
  SCAN_RELAY_POLL_MS: number = 500;

  /** ...and, while Temporal is out of reach, the longest wait between two tries (they back off up to it). */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be at least 100' })
  @Max(300_000, { message: 'must be at most 300000' })
  SCAN_RELAY_MAX_BACKOFF_MS: number = 5_000;

  /**
   * How often every API process looks for repositories whose stored status is due to be judged
   * again (an ignore it counted on lapsed): a repository's status follows an expiry within this.
   * 0: never (statuses then change only with a scan, a triage or a policy change).
   */
  @Type(() => Number)
  @ValidateIf((c: ApiConfig) => c.REPO_STATUS_SWEEP_INTERVAL_MS !== 0)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be 0 (off) or at least 100' })
  @Max(3_600_000, { message: 'must be at most 3600000' })
  REPO_STATUS_SWEEP_INTERVAL_MS: number = 10_000;

  /**
   * How often every API process brings the Temporal Schedules of digest rules and org rescans in
   * line with the database (and once at boot): a saved rule or rescan schedule reaches Temporal
   * within this. 0: never (for an API that must not touch Schedules).
   */
  @Type(() => Number)
  @ValidateIf((c: ApiConfig) => c.NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS !== 0)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be 0 (off) or at least 100' })
  @Max(3_600_000, { message: 'must be at most 3600000' })
  NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS: number = 10_000;

  /**
   * Scan rows whose workflow run ended without recording an outcome (a terminate, say) are closed
   * as FAILED / SCAN_ABANDONED by a loop in every API process: how often it looks (0: never)...
   */
  @Type(() => Number)
  @ValidateIf((c: ApiConfig) => c.SCAN_RECONCILE_INTERVAL_MS !== 0)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1_000, { message: 'must be 0 (off) or at least 1000' })
  SCAN_RECONCILE_INTERVAL_MS: number = 60_000;

  /** ...and how old a row not final yet must be before its run is asked about. */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(60_000, { message: 'must be at least 60000: a run may not have started its scan before' })
  SCAN_RECONCILE_GRACE_MS: number = 15 * 60 * 1000;

  /**
   * How often every API process turns notification events into deliveries and starts their
   * workflows (at once again after a round that found events). 0: never in this process.
   */
  @Type(() => Number)
  @ValidateIf((c: ApiConfig) => c.NOTIFY_DISPATCH_INTERVAL_MS !== 0)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(50, { message: 'must be 0 (off) or at least 50' })
  @Max(600_000, { message: 'must be at most 600000' })
  NOTIFY_DISPATCH_INTERVAL_MS: number = 1_000;

  /** The secret GitHub signs webhook deliveries with (X-Hub-Signature-256). Unset: webhooks are refused. */
  @ValidateIf((c: ApiConfig) => c.GITHUB_WEBHOOK_SECRET !== undefined || githubAppEnabled(c))
  @IsDefined({ message: 'is required when the GitHub App is enabled' })
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  GITHUB_WEBHOOK_SECRET?: string;

  /** GitHub's web site, where the app's users authorize it (GitHub Enterprise: its host). */
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an http(s) URL such as https://github.com' },
  )
  GITHUB_WEB_URL: string = 'https://github.com';

  /**
   * The GitHub App's OAuth client and URL name: linking an installation takes a person's proof on
   * GitHub (its setup URL with OAuth). All three or none; none: linking is refused, as unconfigured.
   */
  @ValidateIf((c: ApiConfig) => githubLinkingEnabled(c))
  @IsDefined({ message: 'is required with GITHUB_APP_CLIENT_SECRET and GITHUB_APP_SLUG' })
  @Matches(/^[\w.-]{1,100}$/, { message: "must be the app's Client ID (its settings page)" })
  @ValidateBy(
    {
      name: 'withGithubApp',
      validator: { validate: (_: unknown, args) => githubAppEnabled(args?.object ?? {}) },
    },
    { message: 'needs the GitHub App itself (GITHUB_APP_ID and its private key)' },
  )
  GITHUB_APP_CLIENT_ID?: string;

  @ValidateIf((c: ApiConfig) => githubLinkingEnabled(c))
  @IsDefined({ message: 'is required with GITHUB_APP_CLIENT_ID and GITHUB_APP_SLUG' })
  @IsString()
  @MinLength(20, { message: 'must be a client secret GitHub generated for the app' })
  GITHUB_APP_CLIENT_SECRET?: string;

  @ValidateIf((c: ApiConfig) => githubLinkingEnabled(c))
  @IsDefined({ message: 'is required with GITHUB_APP_CLIENT_ID and GITHUB_APP_CLIENT_SECRET' })
  @Matches(/^[A-Z0-9](?:[A-Z0-9-]{0,98}[A-Z0-9])?$/i, {
    message: "must be the app's URL name (github.com/apps/<slug>)",
  })
  GITHUB_APP_SLUG?: string;
  /**
   * Requests per minute per source address to /api/v1, counted before the token is looked at, so a
   * flood costs no database query. Behind a proxy, set TRUST_PROXY or every client is one address.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of requests per minute' })
  @Min(1, { message: 'must be at least 1' })
  PRE_AUTH_RATE_LIMIT_PER_MINUTE: number = 3000;

  /**
   * Failed credential checks (unknown, revoked or expired bearer tokens, invitation accepts that
   * fail) per minute per source address; past it the address gets 429 before any lookup.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of attempts per minute' })
  @Min(1, { message: 'must be at least 1' })
  FAILED_AUTH_LIMIT_PER_MINUTE: number = 30;

  /**
   * The proxies whose X-Forwarded-For names the client (Express's `trust proxy`): comma-separated
   * addresses, CIDR ranges, or loopback / linklocal / uniquelocal. Unset: the socket's address,
   * and X-Forwarded-For is ignored (anyone could write it).
   */
  @IsOptional()
  @IsString()
  @ValidateBy(
    { name: 'trustedProxyList', validator: { validate: (value: unknown) => isTrustedProxyList(value) } },
    { message: 'must list IP addresses, CIDR ranges, loopback, linklocal or uniquelocal, comma-separated' },
  )
  TRUST_PROXY?: string;

  /** Bearer token Prometheus sends to GET /metrics. Unset: /metrics answers 404. */
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters: it is a password' })
  METRICS_TOKEN?: string;

  /** Webhook deliveries per minute per source IP. */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of requests per minute' })
  @Min(1, { message: 'must be at least 1' })
  WEBHOOK_RATE_LIMIT_PER_MINUTE: number = 1200;

  /**
   * The largest SBOM `POST /orgs/{org_id}/sboms` takes, in bytes (JSON or XML alike); larger is
   * 413. The default is the worker's SCAN_MAX_MANIFEST_BYTES: an SBOM it took is one a scan reads.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1024, { message: 'must be at least 1024' })
  SBOM_MAX_BYTES: number = 10 * 1024 * 1024;

  /**
   * What the scheduled advisory sync reads, comma-separated: ecosystem names (their exports in
   * OSV's bucket, or OSV_EXPORT_BASE_URL), URLs, or paths on the worker. Unset: no schedule is made.
   */
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'must list at least one ecosystem, URL or path' })
  ADVISORY_SYNC_SOURCES?: string;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(1, { message: 'must be at least 1' })
  @Max(24 * 7, { message: 'must be at most a week (168)' })
  ADVISORY_SYNC_INTERVAL_HOURS: number = 6;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an http(s) URL' },
  )
  OSV_EXPORT_BASE_URL?: string;

  /** The built web dashboard served at /; default: dist/apps/web beside package.json. */
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must be a folder path' })
  WEB_DIST_DIR?: string;
}

/** How many API processes to run: API_PROCESSES, with `auto` resolved against the CPUs there are. */
export function apiProcessCount(
  config: Pick<ApiConfig, 'API_PROCESSES' | 'REDIS_URL'>,
  cpus: number,
): number {
  if (config.API_PROCESSES !== 'auto') return Number(config.API_PROCESSES);
  return config.REDIS_URL === undefined ? 1 : Math.max(1, Math.min(cpus, 4));
}

/** Whether any of the app's OAuth variables is set: then all of them are required. */
export function githubLinkingEnabled(config: Partial<ApiConfig>): boolean {
  return (
    config.GITHUB_APP_CLIENT_ID !== undefined ||
    config.GITHUB_APP_CLIENT_SECRET !== undefined ||
    config.GITHUB_APP_SLUG !== undefined
  );
}
