import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { DEFAULT_SCAN_TASK_QUEUE, DEFAULT_TEMPORAL_NAMESPACE } from '@repoguard/contract';
import { isEncryptionKey, splitKeyList } from '../crypto/secret-box';
import { isPrivateKeyFile, isPrivateKeyPem } from '../github/github-app-key';
import {
  IpaddrOutboundAddressPolicy,
  parseAllowedHosts,
  splitAllowedHosts,
} from '../network/ipaddr-outbound-address-policy';

/** A path that names a file on this machine (checked at boot, so a typo stops the process). */
const IsExistingFile = () =>
  ValidateBy({
    name: 'isExistingFile',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && existsSync(value),
      defaultMessage: () => 'must name a file that exists',
    },
  });

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+\/[^\s/]+$/;
const HOST_PORT = /^[^\s:]+:\d{1,5}$/;
const REDIS_URL = /^rediss?:\/\/\S+$/;
const ENCRYPTION_KEY_MESSAGE = 'must be 32 random bytes, base64-encoded (openssl rand -base64 32)';

/** Variables both processes read. Each app's config class extends this one. */
export class SharedConfig {
  @IsIn(['development', 'test', 'production'], { message: 'must be development, test or production' })
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Matches(POSTGRES_URL, {
    message: 'must be a PostgreSQL URL such as postgresql://user@host:5432/repoguard',
  })
  DATABASE_URL!: string;

  @Matches(HOST_PORT, { message: 'must be host:port of the Temporal frontend, e.g. 127.0.0.1:7233' })
  TEMPORAL_ADDRESS = '127.0.0.1:7233';

  @IsString()
  @Matches(/^[\w.-]+$/, { message: 'must be a Temporal namespace name' })
  TEMPORAL_NAMESPACE = DEFAULT_TEMPORAL_NAMESPACE;

  @Matches(/^[\w.:-]+$/, { message: 'must be a task queue name (letters, digits, . _ : -)' })
  TEMPORAL_TASK_QUEUE = DEFAULT_SCAN_TASK_QUEUE;

  /** The queue re-matches (after an advisory sync) run their steps on; default `<TEMPORAL_TASK_QUEUE>-rematch`. */
  @IsOptional()
  @Matches(/^[\w.:-]{1,200}$/, { message: 'must be a task queue name (letters, digits, . _ : -)' })
  TEMPORAL_REMATCH_TASK_QUEUE?: string;

  get rematchTaskQueue(): string {
    return this.TEMPORAL_REMATCH_TASK_QUEUE ?? `${this.TEMPORAL_TASK_QUEUE}-rematch`;
  }

  @IsOptional()
  @Matches(REDIS_URL, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Unset: info, or warn under NODE_ENV=test (see logLevelOf). */
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { message: 'must be a log level' })
  LOG_LEVEL?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

  /**
   * OpenTelemetry collector (OTLP/HTTP, spans POSTed as JSON to `<endpoint>/v1/traces`); unset:
   * tracing off. Read before config by each app's tracing.ts (instrumentation must load first),
   * validated here so a malformed value still stops the boot.
   */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an http(s) URL of an OTLP/HTTP collector, e.g. http://127.0.0.1:4318' },
  )
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** `service.name` of the spans; unset: repoguard-api or repoguard-worker. */
  @IsOptional()
  @Matches(/^\S+$/, { message: 'must be a service name without spaces' })
  OTEL_SERVICE_NAME?: string;

  /** GitHub's REST API, or a GitHub Enterprise one (`https://ghe.example.com/api/v3`). */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  GITHUB_API_URL: string = 'https://api.github.com';

  /** Optional: public repositories are read anonymously (with GitHub's lower rate limit). */
  @IsOptional()
  @IsString()
  GITHUB_TOKEN?: string;

  /** Milliseconds an outgoing GitHub or OSV request may take. */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  INTEGRATION_TIMEOUT_MS: number = 30_000;

  /** Blob-less clones of repositories connected by git URL (one per org and repository). */
  @IsString()
  GIT_CACHE_DIR: string = path.join(os.tmpdir(), 'repoguard-git-cache');

  /** file:// repositories read the server's own disk: only for a demo or a single-tenant install. */
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  GIT_ALLOW_FILE_URLS: 'true' | 'false' = 'false';

  /**
   * Hosts a git URL may reach although they are not public (a GitLab or Gitea on the private
   * network): comma-separated host names, addresses and CIDR ranges. Unset: public addresses only.
   */
  @IsOptional()
  @ValidateBy(
    {
      name: 'isAllowedHostsList',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            parseAllowedHosts(splitAllowedHosts(value));
            return true;
          } catch {
            return false;
          }
        },
      },
    },
    {
      message:
        'must be comma-separated host names, addresses or CIDR ranges, e.g. gitlab.internal,10.0.0.0/8',
    },
  )
  GIT_ALLOWED_HOSTS?: string;

  /**
   * Hosts a notification channel (webhook URL, SMTP server) may reach although they are not
   * public, in GIT_ALLOWED_HOSTS's form. Unset: public addresses only.
   */
  @IsOptional()
  @ValidateBy(
    { name: 'isAllowedHostsList', validator: { validate: isAllowedHostsList } },
    {
      message: 'must be comma-separated host names, addresses or CIDR ranges, e.g. chat.internal,10.0.0.0/8',
    },
  )
  NOTIFY_ALLOWED_HOSTS?: string;

  /** Plain http:// webhook URLs (a receiver on the operator's own network); https only by default. */
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  NOTIFY_ALLOW_HTTP: 'true' | 'false' = 'false';

  /** The operator's SMTP server for email channels without their own: smtp:// or smtps://user:pass@host:port. */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, {
    message: 'must be an smtp:// or smtps:// URL, e.g. smtp://mail.internal:587',
  })
  SMTP_URL?: string;

  /** The sender of notification emails whose channel names none. */
  @IsOptional()
  @Matches(/^(?:[^<>\r\n]{0,100}<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
    message: 'must be an email address or "Name <address>"',
  })
  SMTP_FROM?: string;

  /** A CA bundle for self-hosted git servers over https (GIT_SSL_CAINFO for every git command). */
  @IsOptional()
  @IsExistingFile()
  GIT_SSL_CA_FILE?: string;

  /** The instance's private key for ssh:// remotes: used only for the orgs in GIT_SSH_KEY_ORGS. */
  @IsOptional()
  @IsExistingFile()
  GIT_SSH_KEY_PATH?: string;

  /**
   * The orgs (ids or slugs, comma-separated; `*` for every org of a single-tenant install) that
   * GIT_SSH_KEY_PATH serves. Other orgs read ssh:// remotes with deploy keys of their own.
   */
  @IsOptional()
  @ValidateBy(
    {
      name: 'isOrgList',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          splitOrgList(value).length > 0 &&
          splitOrgList(value).every(isOrgEntry),
      },
    },
    { message: 'must list org ids or slugs, comma-separated, or be * (every org)' },
  )
  @ValidateBy(
    {
      name: 'needsSshKey',
      validator: {
        validate: (_value: unknown, args) => Boolean((args?.object as SharedConfig).GIT_SSH_KEY_PATH),
      },
    },
    { message: 'names the orgs GIT_SSH_KEY_PATH serves: set GIT_SSH_KEY_PATH too' },
  )
  GIT_SSH_KEY_ORGS?: string;

  /** Seals the credentials RepoGuard stores (AES-256-GCM). Losing it loses them: back it up. */
  @IsOptional()
  @ValidateBy(
    {
      name: 'isEncryptionKey',
      validator: { validate: (value: unknown) => isEncryptionKey(String(value).trim()) },
    },
    { message: ENCRYPTION_KEY_MESSAGE },
  )
  REPOGUARD_ENCRYPTION_KEY?: string;

  /** Retired keys, comma-separated: they still open what they sealed until `secrets:rotate` runs. */
  @IsOptional()
  @ValidateBy(
    {
      name: 'isEncryptionKeyList',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && splitKeyList(value).every(isEncryptionKey),
      },
    },
    { message: `each comma-separated key ${ENCRYPTION_KEY_MESSAGE}` },
  )
  REPOGUARD_ENCRYPTION_KEYS_OLD?: string;

  /**
   * The GitHub App (private repositories through installations). Enabled by any of its variables;
   * then the id and one form of the key are required, and the key must parse.
   */
  @ValidateIf((c: SharedConfig) => githubAppEnabled(c))
  @Type(() => Number)
  @IsInt({ message: 'must be the numeric GitHub App id (required when a GitHub App key is set)' })
  @Min(1, { message: 'must be the numeric GitHub App id' })
  GITHUB_APP_ID?: number;

  @ValidateIf(
    (c: SharedConfig) =>
      c.GITHUB_APP_PRIVATE_KEY !== undefined || (githubAppEnabled(c) && !c.GITHUB_APP_PRIVATE_KEY_PATH),
  )
  @IsDefined({ message: 'is required with GITHUB_APP_ID (or set GITHUB_APP_PRIVATE_KEY_PATH)' })
  @ValidateBy(
    { name: 'isPrivateKeyPem', validator: { validate: (value: unknown) => isPrivateKeyPem(value) } },
    { message: 'must be the PEM private key GitHub generated for the app (-----BEGIN RSA PRIVATE KEY-----)' },
  )
  GITHUB_APP_PRIVATE_KEY?: string;

  @IsOptional()
  @ValidateBy(
    { name: 'isPrivateKeyFile', validator: { validate: (value: unknown) => isPrivateKeyFile(value) } },
    { message: "must name a readable file holding the app's PEM private key" },
  )
  GITHUB_APP_PRIVATE_KEY_PATH?: string;
}

/** The level both processes log at: LOG_LEVEL, else info (warn in tests, to keep their output readable). */
export function logLevelOf(
  config: Pick<SharedConfig, 'LOG_LEVEL' | 'NODE_ENV'>,
): NonNullable<SharedConfig['LOG_LEVEL']> {
  return config.LOG_LEVEL ?? (config.NODE_ENV === 'test' ? 'warn' : 'info');
}

export function githubAppEnabled(config: Partial<SharedConfig>): boolean {
  return (
    config.GITHUB_APP_ID !== undefined ||
    config.GITHUB_APP_PRIVATE_KEY !== undefined ||
    config.GITHUB_APP_PRIVATE_KEY_PATH !== undefined
  );
}

function isAllowedHostsList(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    parseAllowedHosts(splitAllowedHosts(value));
    return true;
  } catch {
    return false;
  }
}

/** GIT_SSH_KEY_ORGS as a list: trimmed entries, empty ones skipped. */
export function splitOrgList(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

const ORG_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ORG_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

function isOrgEntry(entry: string): boolean {
  return entry === '*' || ORG_ID.test(entry) || ORG_SLUG.test(entry);
}

/** The git CLI adapter's settings, as the config names them. */
export function gitSettings(config: SharedConfig) {
  return {
    cacheDir: config.GIT_CACHE_DIR,
    allowFileUrls: config.GIT_ALLOW_FILE_URLS === 'true',
    outbound: new IpaddrOutboundAddressPolicy({ allowedHosts: splitAllowedHosts(config.GIT_ALLOWED_HOSTS) }),
    timeoutMs: Math.max(config.INTEGRATION_TIMEOUT_MS, 120_000),
    ...(config.GIT_SSL_CA_FILE ? { caFile: config.GIT_SSL_CA_FILE } : {}),
    ...(config.GIT_SSH_KEY_PATH ? { sshKeyPath: config.GIT_SSH_KEY_PATH } : {}),
    sshKeyOrgs: splitOrgList(config.GIT_SSH_KEY_ORGS),
  };
}

/** Notification channels' settings, as the config names them (the API's test-send and the worker's deliveries). */
export function notificationSettings(config: SharedConfig) {
  return {
    outbound: new IpaddrOutboundAddressPolicy({
      allowedHosts: splitAllowedHosts(config.NOTIFY_ALLOWED_HOSTS),
    }),
    allowHttp: config.NOTIFY_ALLOW_HTTP === 'true',
    ...(config.SMTP_URL ? { smtpUrl: config.SMTP_URL } : {}),
    ...(config.SMTP_FROM ? { smtpFrom: config.SMTP_FROM } : {}),
  };
}
