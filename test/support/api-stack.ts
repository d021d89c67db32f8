// The API over HTTP on top of the real scan pipeline (scan-harness: PostgreSQL, Temporal, a worker,
// GitHub and OSV stand-ins), plus a small client that sends a bearer token.
import { randomBytes, randomUUID } from 'node:crypto';
import type { OsvRecord, PullRequestCheckPublisher } from '@repoguard/domain';
import { startApiProcess, testApiEnv, type ApiProcess } from './api-process';
import type { LogCapture } from './log-capture';
import { request, type JsonResponse } from './http';
import { startScanHarness, type ScanHarness } from './scan-harness';

export interface ApiStack {
  readonly url: string;
  /** The API's own process (apps/api/src/main.ts). */
  readonly api: ApiProcess;
  readonly harness: ScanHarness;
  readonly adminToken: string;
  /** GITHUB_WEBHOOK_SECRET the API was given, if any. */
  readonly webhookSecret: string | undefined;
  call(
    token: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<JsonResponse>;
  /** Requests a scan of the repository and polls it until it ends (or 30 s pass); the scan's last answer. */
  scanToEnd(
    token: string,
    repoId: string,
  ): Promise<{ id: string; status: string; error: unknown } & Record<string, unknown>>;
  /** Bootstraps an org through the API; returns its id and the owner's token. */
  createOrg(label: string): Promise<{ orgId: string; ownerToken: string; ownerId: string; slug: string }>;
  close(): Promise<void>;
}

export interface ApiStackOptions {
  readonly name: string;
  readonly advisories?: readonly OsvRecord[];
  readonly env?: Record<string, string>;
  /** Base64 AES key given to both the API and the worker (REPOGUARD_ENCRYPTION_KEY). */
  readonly encryptionKey?: string;
  /** A GitHub App on the stand-in that the API and the worker are configured with. */
  readonly withGithubApp?: boolean;
  /** The API's and the worker's database, when the test needs one of its own (see ScanHarnessOptions). */
  readonly databaseUrl?: string;
  /** mirror: the worker matches against the PostgreSQL advisory mirror (the advisories are imported). */
  readonly osvMode?: 'api' | 'mirror';
  /** A CA that the API's and the worker's git trust (the git HTTPS stand-in's). */
  readonly gitCaFile?: string;
  /** GIT_ALLOWED_HOSTS of the API and the worker; default: the loopback, where the stand-ins are. */
  readonly gitAllowedHosts?: readonly string[];
  /** The operator's SMTP server (SMTP_URL) for the API's test-sends and the worker's deliveries. */
  readonly smtpUrl?: string;
  /** Receives the API's JSON log lines (see log-capture). */
  readonly logs?: LogCapture;
  /** The instance GITHUB_TOKEN, given to both the API and the worker. */
  readonly githubToken?: string;
  /** GIT_SSH_KEY_PATH and GIT_SSH_KEY_ORGS, given to both the API and the worker. */
  readonly sshKey?: { readonly path: string; readonly orgs: readonly string[] };
  /** Where the worker publishes pull-request checks (see ScanHarnessOptions). */
  readonly pullRequestCheckPublisher?: PullRequestCheckPublisher;
}

/** The API's PUBLIC_BASE_URL (required with the App); the worker links check runs to it, as in production. */
const APP_PUBLIC_BASE_URL = 'https://repoguard.test';

export async function startApiStack(options: ApiStackOptions): Promise<ApiStack> {
  const publicBaseUrl =
    options.env?.['PUBLIC_BASE_URL'] ?? (options.withGithubApp ? APP_PUBLIC_BASE_URL : undefined);
  const harness = await startScanHarness({
    name: options.name,
    advisories: options.advisories ?? [],
    ...(options.encryptionKey ? { encryptionKey: options.encryptionKey } : {}),
    ...(options.withGithubApp ? { withGithubApp: true } : {}),
    ...(options.gitCaFile ? { gitCaFile: options.gitCaFile } : {}),
    ...(options.gitAllowedHosts ? { gitAllowedHosts: options.gitAllowedHosts } : {}),
    ...(options.osvMode ? { osvMode: options.osvMode } : {}),
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.githubToken ? { githubToken: options.githubToken } : {}),
    ...(options.sshKey ? { sshKey: options.sshKey } : {}),
    ...(options.smtpUrl ? { smtpUrl: options.smtpUrl } : {}),
    ...(options.pullRequestCheckPublisher
      ? { pullRequestCheckPublisher: options.pullRequestCheckPublisher }
      : {}),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
  });
  const githubApp = harness.githubApp;
  const appWebhookSecret = `whsec-${randomBytes(16).toString('hex')}`;
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  const api = await startApiProcess(
    testApiEnv({
      GITHUB_API_URL: harness.github.url,
      TEMPORAL_TASK_QUEUE: harness.taskQueue,
      SCAN_QUIET_WINDOW_MS: '300',
      SCAN_MAX_WAIT_MS: '5000',
      INTEGRATION_TIMEOUT_MS: '5000',
      REPOGUARD_ADMIN_TOKEN: adminToken,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...(options.gitCaFile ? { GIT_SSL_CA_FILE: options.gitCaFile } : {}),
      ...(options.gitAllowedHosts ? { GIT_ALLOWED_HOSTS: options.gitAllowedHosts.join(',') } : {}),
      ...(options.encryptionKey ? { REPOGUARD_ENCRYPTION_KEY: options.encryptionKey } : {}),
      ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
      ...(options.githubToken ? { GITHUB_TOKEN: options.githubToken } : {}),
      ...(options.sshKey
        ? { GIT_SSH_KEY_PATH: options.sshKey.path, GIT_SSH_KEY_ORGS: options.sshKey.orgs.join(',') }
        : {}),
      ...(githubApp
        ? {
            GITHUB_APP_ID: String(githubApp.appId),
            GITHUB_APP_PRIVATE_KEY: githubApp.privateKeyPem,
            GITHUB_APP_CLIENT_ID: githubApp.clientId,
            GITHUB_APP_CLIENT_SECRET: githubApp.clientSecret,
            GITHUB_APP_SLUG: githubApp.slug,
            GITHUB_WEB_URL: harness.github.url,
            GITHUB_WEBHOOK_SECRET: appWebhookSecret,
            PUBLIC_BASE_URL: APP_PUBLIC_BASE_URL,
          }
        : {}),
      ...options.env,
    }),
    options.logs ? { logs: options.logs } : {},
  );
  const url = api.url;

  const stack: ApiStack = {
    url,
    api,
    harness,
    adminToken,
    webhookSecret: options.env?.['GITHUB_WEBHOOK_SECRET'] ?? (githubApp ? appWebhookSecret : undefined),
    call(token, method, path, body, headers = {}) {
      return request(`${url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    },
    async scanToEnd(token, repoId) {
      const requested = await stack.call(token, 'POST', `/api/v1/repos/${repoId}/scan`, {});
      if (requested.status !== 202) throw new Error(`requesting a scan: ${requested.status}`);
      const read = async () =>
        (await stack.call(token, 'GET', `/api/v1/scans/${requested.body.scan_id}`)).body;
      let scan = await read();
      for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
        await new Promise((r) => setTimeout(r, 250));
        scan = await read();
      }
      return scan;
    },
    async createOrg(label) {
      const slug = `${label}-${randomUUID().slice(0, 8)}`.toLowerCase();
      const { status, body } = await stack.call(adminToken, 'POST', '/api/v1/orgs', {
        name: label,
        slug,
        owner_email: `owner-${slug}@example.test`,
      });
      if (status !== 201) throw new Error(`creating org ${slug}: ${status} ${JSON.stringify(body)}`);
      return { orgId: body.org.id, ownerToken: body.token, ownerId: body.owner.id, slug };
    },
    async close() {
      await api.close();
      await harness.close();
    },
  };
  return stack;
}
