import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, randomBytes, randomInt, verify } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { components } from '@octokit/openapi-types';
import { isObject } from '@repoguard/domain';
import {
  createChecksApi,
  type ChecksCaller,
  type PublishedCheckRun,
  type PublishedStatus,
} from './github-checks-api';
import { RequestHolds, type RequestHold } from './request-holds';
import { sendJson } from './send-json';

export interface GithubStandInRequest {
  readonly method: string;
  /** Decoded path without the query, e.g. `/repos/acme/web/git/trees/<sha>`. */
  readonly path: string;
  /** The raw query string without `?`, when there was one (e.g. `recursive=1`). */
  readonly query?: string;
}

export interface GithubStandInOptions {
  /** When set, requests must carry `Authorization: token <token>` (or `Bearer`), else 401. */
  readonly token?: string;
  /**
   * For benchmarks: git's answers are kept per repository until it changes (a commit, branch or
   * tag), so a repeated request spawns no git and the stand-in's own cost stays out of the numbers.
   */
  readonly cacheReads?: boolean;
}

export interface TestRepo {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  /** The working directory; its `.git` is what the stand-in serves. */
  readonly path: string;
  /**
   * Writes the files (`null` deletes one), commits everything in the working directory on
   * `branch` (default: the default branch, created on first use) and returns the commit SHA.
   */
  commit(
    files: Record<string, string | Uint8Array | null>,
    message?: string,
    branch?: string,
  ): Promise<string>;
  /** A branch at `from` (a branch, tag or SHA; default: the default branch). */
  createBranch(name: string, from?: string): Promise<void>;
  /** An annotated tag at `from` (default: the default branch). */
  tag(name: string, from?: string): Promise<void>;
}

export interface GithubStandIn {
  /** Base URL to give Octokit, e.g. http://127.0.0.1:43121 (no trailing slash). */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: GithubStandInRequest[];
  /** `privateToken`: a private repository, visible only to requests with that token (others get 404, as on GitHub). */
  createRepo(
    owner: string,
    name: string,
    options?: { defaultBranch?: string; privateToken?: string },
  ): Promise<TestRepo>;
  /**
   * Makes an existing repository private, readable only with one of `readers` (tokens; an
   * installation of its account reads it too), or public again (`readers` omitted), at once.
   */
  setVisibility(owner: string, name: string, visibility: 'public' | 'private', readers?: string[]): void;
  /** The next `count` requests get `status` (with GitHub's error body and `headers`) instead of an answer. */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  /** The next request is never answered (until `close`). */
  hangNext(): void;
  /** The next request that `matches` waits unanswered until the hold is released (or `reset`, `close`). */
  holdNext(matches: (request: GithubStandInRequest) => boolean): RequestHold;
  /** While on, recursive tree answers say `truncated: true` and hold only part of the tree. */
  setTruncateTrees(truncate: boolean): void;
  /**
   * A GitHub App: its id (the JWT's `iss`) and the private key GitHub hands out (PKCS#1 PEM,
   * `-----BEGIN RSA PRIVATE KEY-----`). The stand-in keeps only the public key, to check JWTs.
   */
  createApp(): GithubStandInApp;
  /**
   * Installs an app (default: the last one created) on the organization `account` for the listed
   * `owner/name` repositories, which must already exist and belong to `account`. Returns the
   * installation id for `POST /app/installations/{id}/access_tokens`.
   */
  createInstallation(account: string, repos: string[], appId?: number): number;
  /** Adds an existing `owner/name` repository of the installation's account; its live tokens see it at once. */
  addInstallationRepo(installationId: number, repo: string): void;
  /** Uninstalls the app: new tokens are refused (404) and the installation's tokens stop working (401). */
  revokeInstallation(installationId: number): void;
  /** Lifetime of installation tokens issued from now on (GitHub's: one hour, the default). */
  setInstallationTokenTtl(ms: number): void;
  /**
   * A GitHub user who can access the listed installations (as a member of their accounts with
   * access to them would): `GET /user/installations` with the user's token lists those of the app.
   */
  createUser(login: string, installationIds?: number[]): void;
  /** Gives an existing user access to one more installation. */
  grantInstallation(login: string, installationId: number): void;
  /**
   * The browser's part of GitHub's web flow, played by the test: the user authorizes the app
   * (default: the last one created) and GitHub would redirect with this code (single use, ten
   * minutes). `redirectUri`, when given, must be sent again with the exchange, as on GitHub.
   * `GET /login/oauth/authorize` does the same for a browser that sends `X-Stand-In-User: <login>`.
   */
  authorizeUser(login: string, options?: { appId?: number; redirectUri?: string }): string;
  /** Check runs published, oldest first (of one `owner/name` when given), with all their annotations. */
  checkRuns(repo?: string): PublishedCheckRun[];
  /** Commit statuses published, oldest first (of one `owner/name` when given). */
  statuses(repo?: string): PublishedStatus[];
  /**
   * A `check_run` webhook delivery as GitHub sends it to the app that created the run (rerequested,
   * requested_action with its identifier): event name and payload, for the test to sign and send.
   */
  checkRunEvent(
    checkRunId: number,
    action: CheckRunEventAction,
    options: CheckRunEventOptions,
  ): CheckRunEvent;
  /** Clears the request log and any pending faults, and restores the default token lifetime. */
  reset(): void;
  close(): Promise<void>;
}

export type CheckRunEventAction = 'created' | 'completed' | 'rerequested' | 'requested_action';

export interface CheckRunEventOptions {
  /** The GitHub user who clicked (the payload's `sender`). */
  readonly sender: string;
  /** `requested_action.identifier`: the action's identifier the run offered. */
  readonly identifier?: string;
  /** The pull request whose head the run is on (GitHub lists it in `check_run.pull_requests`). */
  readonly pullRequest?: {
    readonly number: number;
    readonly headRef: string;
    readonly baseRef: string;
    readonly baseSha: string;
  };
}

export interface CheckRunEvent {
  readonly event: 'check_run';
  readonly payload: Record<string, unknown>;
}

export interface GithubStandInApp {
  readonly appId: number;
  readonly privateKeyPem: string;
  /** The app's URL name (`/apps/{slug}`) and its OAuth client, for GitHub's web flow. */
  readonly slug: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

interface Failure {
  readonly status: number;
  readonly headers: Record<string, string>;
}

interface RepoRecord {
  readonly id: number;
  readonly repo: TestRepo;
  /** Set: a private repository, readable with these tokens. Changed by setVisibility. */
  privateTokens?: readonly string[];
}

type Commit = components['schemas']['commit'];
type Comparison = components['schemas']['commit-comparison'];

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

interface AppRecord {
  readonly id: number;
  readonly publicKey: KeyObject;
  readonly slug: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

interface UserRecord {
  readonly login: string;
  readonly id: number;
  readonly installationIds: Set<number>;
}

interface OAuthCodeRecord {
  readonly login: string;
  readonly appId: number;
  readonly redirectUri: string | null;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

interface UserTokenRecord {
  readonly login: string;
  readonly appId: number;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

interface InstallationRecord {
  readonly id: number;
  readonly appId: number;
  readonly account: string;
  readonly accountId: number;
  /** Repository ids, in the order they were added. */
  readonly repoIds: Set<number>;
  readonly createdAt: string;
}

interface AccessTokenRecord {
  readonly installationId: number;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** Set when the token was asked for only some of the installation's repositories. */
  readonly repoIds?: ReadonlySet<number>;
  readonly permissions: Readonly<Record<string, string>>;
}

const DOCS = 'https://docs.github.com/rest';
const DEFAULT_INSTALLATION_TOKEN_TTL_MS = 3600_000;
// GitHub's: codes live ten minutes, user access tokens of apps eight hours.
const OAUTH_CODE_TTL_MS = 600_000;
const USER_TOKEN_TTL_SECONDS = 28_800;
const OAUTH_DOCS =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';
// What every installation is granted: RepoGuard's app reads manifests and pull requests, and writes
// check runs and commit statuses. Tokens may ask for less, never more.
const INSTALLATION_PERMISSIONS: Readonly<Record<string, string>> = {
  checks: 'write',
  contents: 'read',
  metadata: 'read',
  pull_requests: 'read',
  statuses: 'write',
};
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// GitHub's messages for JWT time claims; @octokit/auth-app matches them to retry with the server's clock.
const JWT_UNDECODABLE = 'A JSON web token could not be decoded';
const JWT_EXP_PAST =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const JWT_EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
const JWT_IAT_INVALID =
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
const SHA1 = /^[0-9a-f]{40}$/;
const AUTHOR = ['-c', 'user.name=RepoGuard Test', '-c', 'user.email=test@repoguard.invalid'];
// The machine's own git configuration (autocrlf, signing, hooks paths) must not change what is committed.
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

/**
 * A GitHub REST stand-in on the loopback, serving real git repositories the test builds with the
 * git CLI: `GET /repos/{o}/{r}`, `/commits/{ref}`, `/compare/{base}...{head}`, `/git/trees/{sha}` and `/git/blobs/{sha}` in
 * GitHub's shapes (422 for an unknown ref, 409 for an empty repository, 60-column base64 blobs),
 * with token checking and fault injection for the adapter's error paths. GitHub Apps too: RS256
 * JWTs checked against the app's public key, `POST /app/installations/{id}/access_tokens`,
 * `GET /app/installations/{id}` and `GET /installation/repositories`; installation tokens read
 * their installation's repositories, private ones included, until they expire. GitHub's web flow
 * for the app's users too: `GET /login/oauth/authorize`, `POST /login/oauth/access_token`, `GET /user`,
 * `GET /user/installations` and `DELETE /applications/{client_id}/token`, for users the test creates
 * with access to some installations.
 */
export async function startGithubStandIn(options: GithubStandInOptions = {}): Promise<GithubStandIn> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-gh-'));
  const repos = new Map<string, RepoRecord>();
  const requests: GithubStandInRequest[] = [];
  let failures: Failure[] = [];
  let hangs = 0;
  const holds = new RequestHolds<GithubStandInRequest>();
  let truncateTrees = false;
  let url = '';
  const apps = new Map<number, AppRecord>();
  const installations = new Map<number, InstallationRecord>();
  const accountIds = new Map<string, number>();
  const accessTokens = new Map<string, AccessTokenRecord>();
  const users = new Map<string, UserRecord>();
  const oauthCodes = new Map<string, OAuthCodeRecord>();
  const userTokens = new Map<string, UserTokenRecord>();
  let installationCount = 0;
  let installationTokenTtlMs = DEFAULT_INSTALLATION_TOKEN_TTL_MS;

  const apiUrl = (owner: string, name: string, rest = '') => `${url}/repos/${owner}/${name}${rest}`;

  const repoBody = (record: RepoRecord) => {
    const { id, repo } = record;
    return {
      id,
      node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      owner: { login: repo.owner, id: 1000 + id, type: 'Organization' },
      private: record.privateTokens !== undefined,
      visibility: record.privateTokens !== undefined ? 'private' : 'public',
      fork: false,
      archived: false,
      description: null,
      default_branch: repo.defaultBranch,
      html_url: `${url}/${repo.owner}/${repo.name}`,
      url: apiUrl(repo.owner, repo.name),
    };
  };

  const repoAnswer = (record: RepoRecord): Answer => ({ status: 200, body: repoBody(record) });

  const repoById = (id: number): RepoRecord | undefined =>
    [...repos.values()].find((record) => record.id === id);

  /** The app whose key signed the JWT, or GitHub's 401 for a JWT it would refuse. */
  const verifyJwt = (jwt: string | undefined): { app: AppRecord } | { refusal: Answer } => {
    const undecodable = { refusal: githubError(401, JWT_UNDECODABLE) };
    const [encodedHeader, encodedPayload, encodedSignature, ...extra] = (jwt ?? '').split('.');
    if (encodedHeader === undefined || encodedPayload === undefined || encodedSignature === undefined) {
      return undecodable;
    }
    if (extra.length > 0) return undecodable;
    const header = decodeJwtPart(encodedHeader);
    const payload = decodeJwtPart(encodedPayload);
    if (header?.['alg'] !== 'RS256' || !payload || !/^[\w-]+$/.test(encodedSignature)) {
      return undecodable;
    }
    const iss = payload['iss'];
    // GitHub takes the app id as a number or as a string of digits.
    const appId =
      typeof iss === 'number' ? iss : typeof iss === 'string' && /^\d+$/.test(iss) ? Number(iss) : NaN;
    const app = apps.get(appId);
    if (!app) return undecodable;
    const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
    if (!verify('RSA-SHA256', signed, app.publicKey, Buffer.from(encodedSignature, 'base64url'))) {
      return undecodable;
    }
    const now = Date.now() / 1000;
    const { iat, exp } = payload;
    // GitHub tolerates 60 s of clock drift on `iat`, and no JWT living longer than 10 minutes.
    if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > now + 60) {
      return { refusal: githubError(401, JWT_IAT_INVALID) };
    }
    if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= now) {
      return { refusal: githubError(401, JWT_EXP_PAST) };
    }
    if (exp - iat > 600) return { refusal: githubError(401, JWT_EXP_TOO_FAR) };
    return { app };
  };

  const isLive = (token: AccessTokenRecord): boolean =>
    installations.has(token.installationId) && Date.now() < token.expiresAt;

  /** The repositories a token may read beyond the public ones, in installation order. */
  const tokenRepos = (token: AccessTokenRecord): RepoRecord[] =>
    [...(installations.get(token.installationId)?.repoIds ?? [])]
      .filter((id) => token.repoIds === undefined || token.repoIds.has(id))
      .map((id) => repoById(id))
      .filter((record): record is RepoRecord => record !== undefined);

  const installationAnswer = (installation: InstallationRecord): Answer => ({
    status: 200,
    body: {
      id: installation.id,
      account: {
        login: installation.account,
        id: installation.accountId,
        node_id: Buffer.from(`012:Organization${installation.accountId}`).toString('base64'),
        type: 'Organization',
        site_admin: false,
      },
      repository_selection: 'selected',
      access_tokens_url: `${url}/app/installations/${installation.id}/access_tokens`,
      repositories_url: `${url}/installation/repositories`,
      html_url: `${url}/organizations/${installation.account}/settings/installations/${installation.id}`,
      app_id: installation.appId,
      app_slug: apps.get(installation.appId)?.slug ?? `repoguard-stand-in-${installation.appId}`,
      target_id: installation.accountId,
      target_type: 'Organization',
      permissions: INSTALLATION_PERMISSIONS,
      events: ['push'],
      created_at: installation.createdAt,
      updated_at: installation.createdAt,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    },
  });

  const issueToken = (installation: InstallationRecord, requestBody: string): Answer => {
    let request: unknown = {};
    try {
      if (requestBody.trim() !== '') request = JSON.parse(requestBody);
    } catch {
      return githubError(400, 'Problems parsing JSON');
    }
    if (!isObject(request)) return githubError(400, 'Problems parsing JSON');
    const { repositories: names, repository_ids: ids, permissions } = request;
    if (
      (names !== undefined && !(Array.isArray(names) && names.every((n) => typeof n === 'string'))) ||
      (ids !== undefined && !(Array.isArray(ids) && ids.every((n) => Number.isInteger(n)))) ||
      (permissions !== undefined && !isObject(permissions))
    ) {
      return githubError(422, 'Invalid request.');
    }
    const installed = [...installation.repoIds]
      .map((id) => repoById(id))
      .filter((record): record is RepoRecord => record !== undefined);
    let scoped: RepoRecord[] | undefined;
    if (names !== undefined || ids !== undefined) {
      // GitHub takes bare repository names here: an installation spans a single account.
      const wanted = [
        ...((names as string[] | undefined) ?? []).map((name) =>
          installed.find((record) => record.repo.name.toLowerCase() === name.toLowerCase()),
        ),
        ...((ids as number[] | undefined) ?? []).map((id) => installed.find((record) => record.id === id)),
      ];
      if (wanted.some((record) => record === undefined)) {
        return githubError(
          422,
          'There is at least one repository that does not exist or is not accessible to the parent installation.',
        );
      }
      scoped = [...new Set(wanted as RepoRecord[])];
    }
    if (
      permissions !== undefined &&
      Object.entries(permissions).some(([name, level]) => INSTALLATION_PERMISSIONS[name] !== level)
    ) {
      return githubError(422, 'The permissions requested are not granted to this installation.');
    }
    const token = `ghs_${Array.from({ length: 36 }, () => TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)]).join('')}`;
    const expiresAt = Date.now() + installationTokenTtlMs;
    const granted =
      permissions !== undefined
        ? { ...(permissions as Record<string, string>), metadata: 'read' }
        : INSTALLATION_PERMISSIONS;
    accessTokens.set(token, {
      installationId: installation.id,
      expiresAt,
      permissions: granted,
      ...(scoped ? { repoIds: new Set(scoped.map((record) => record.id)) } : {}),
    });
    return {
      status: 201,
      body: {
        token,
        // Whole seconds, as GitHub writes it; rounding down keeps clients from using a dead token.
        expires_at: isoSeconds(expiresAt),
        permissions: granted,
        repository_selection: 'selected',
        ...(scoped ? { repositories: scoped.map((record) => repoBody(record)) } : {}),
      },
    };
  };

  /** `GET /app/installations/{id}` and `POST /app/installations/{id}/access_tokens`, with the app's JWT. */
  const appRoute = (
    method: string,
    rest: string[],
    token: string | undefined,
    requestBody: string,
  ): Answer => {
    const [collection, id, action, ...extra] = rest;
    if (collection !== 'installations' || id === undefined || extra.length > 0)
      return githubError(404, 'Not Found');
    if (action === undefined ? method !== 'GET' : action !== 'access_tokens' || method !== 'POST') {
      return githubError(404, 'Not Found');
    }
    const verified = verifyJwt(token);
    if ('refusal' in verified) return verified.refusal;
    const installation = /^\d+$/.test(id) ? installations.get(Number(id)) : undefined;
    // Another app's installation is as invisible as an uninstalled one.
    if (!installation || installation.appId !== verified.app.id) return githubError(404, 'Not Found');
    return action === undefined ? installationAnswer(installation) : issueToken(installation, requestBody);
  };

  /** `GET /installation/repositories`, with an installation token. */
  const installationRoute = (
    method: string,
    rest: string[],
    query: URLSearchParams,
    token: string | undefined,
  ): Answer => {
    if (method !== 'GET' || rest.length !== 1 || rest[0] !== 'repositories')
      return githubError(404, 'Not Found');
    if (token === undefined) return githubError(401, 'Requires authentication');
    const credential = accessTokens.get(token);
    if (!credential || !isLive(credential)) return githubError(401, 'Bad credentials');
    const all = tokenRepos(credential);
    const asked = Number.parseInt(query.get('per_page') ?? '', 10);
    const perPage = asked > 0 ? Math.min(asked, 100) : 30;
    const page = Math.max(1, Number.parseInt(query.get('page') ?? '', 10) || 1);
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    const pageUrl = (n: number) => `<${url}/installation/repositories?per_page=${perPage}&page=${n}>`;
    const links = [
      ...(page > 1 ? [`${pageUrl(Math.min(page - 1, lastPage))}; rel="prev"`] : []),
      ...(page < lastPage ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`] : []),
      ...(page > 1 ? [`${pageUrl(1)}; rel="first"`] : []),
    ];
    return {
      status: 200,
      body: {
        total_count: all.length,
        repository_selection: 'selected',
        repositories: all.slice((page - 1) * perPage, page * perPage).map((record) => repoBody(record)),
      },
      // Octokit's paginate follows `rel="next"`.
      ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
    };
  };

  const randomToken = (prefix: string) =>
    `${prefix}${Array.from({ length: 36 }, () => TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)]).join('')}`;

  const mintCode = (login: string, appId: number | undefined, redirectUri: string | null): string => {
    const user = users.get(login.toLowerCase());
    if (!user) throw new Error(`no user ${login}: createUser first`);
    const app = appId === undefined ? [...apps.values()].at(-1) : apps.get(appId);
    if (!app) throw new Error(appId === undefined ? 'createApp before authorizeUser' : `no app ${appId}`);
    const code = randomToken('').slice(0, 20).toLowerCase();
    oauthCodes.set(code, {
      login: user.login,
      appId: app.id,
      redirectUri,
      expiresAt: Date.now() + OAUTH_CODE_TTL_MS,
    });
    return code;
  };

  /** GitHub's OAuth error: answered with 200, as GitHub does when the client asks for JSON. */
  const oauthError = (error: string, description: string): Answer => ({
    status: 200,
    body: { error, error_description: description, error_uri: OAUTH_DOCS },
  });

  /** Parameters of the token exchange: JSON (Octokit) or a form, as GitHub accepts both. */
  const oauthParameters = (requestBody: string, contentType: string): Record<string, string> | undefined => {
    if (/application\/x-www-form-urlencoded/i.test(contentType)) {
      return Object.fromEntries(new URLSearchParams(requestBody));
    }
    try {
      const parsed: unknown = requestBody.trim() === '' ? {} : JSON.parse(requestBody);
      if (!isObject(parsed)) return undefined;
      return Object.fromEntries(
        Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
    } catch {
      return undefined;
    }
  };

  /**
   * `GET /login/oauth/authorize` (the browser, signed in as `X-Stand-In-User`) and
   * `POST /login/oauth/access_token` (the app's server exchanging the code).
   */
  const oauthRoute = (
    method: string,
    rest: string[],
    query: URLSearchParams,
    requestBody: string,
    headers: IncomingMessage['headers'],
  ): Answer => {
    if (method === 'GET' && rest.length === 1 && rest[0] === 'authorize') {
      const app = [...apps.values()].find((candidate) => candidate.clientId === query.get('client_id'));
      if (!app) return githubError(404, 'Not Found');
      const login = headers['x-stand-in-user'];
      if (typeof login !== 'string' || !users.has(login.toLowerCase())) {
        return githubError(401, 'The stand-in needs X-Stand-In-User: the GitHub user signed in');
      }
      const redirectUri = query.get('redirect_uri');
      if (!redirectUri || !/^https?:\/\//.test(redirectUri))
        return githubError(422, 'redirect_uri is required');
      const code = mintCode(login, app.id, redirectUri);
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      const state = query.get('state');
      if (state !== null) target.searchParams.set('state', state);
      return { status: 302, body: {}, headers: { location: target.toString() } };
    }
    if (method !== 'POST' || rest.length !== 1 || rest[0] !== 'access_token')
      return githubError(404, 'Not Found');
    const parameters = oauthParameters(requestBody, String(headers['content-type'] ?? ''));
    if (!parameters) return githubError(400, 'Problems parsing JSON');
    const app = [...apps.values()].find((candidate) => candidate.clientId === parameters['client_id']);
    if (!app || app.clientSecret !== parameters['client_secret']) {
      return oauthError(
        'incorrect_client_credentials',
        'The client_id and/or client_secret passed are incorrect.',
      );
    }
    const code = oauthCodes.get(parameters['code'] ?? '');
    // A code is spent by its first exchange, successful or not.
    if (parameters['code'] !== undefined) oauthCodes.delete(parameters['code']);
    if (!code || code.appId !== app.id || code.expiresAt <= Date.now()) {
      return oauthError('bad_verification_code', 'The code passed is incorrect or expired.');
    }
    if (code.redirectUri !== null && parameters['redirect_uri'] !== code.redirectUri) {
      return oauthError(
        'redirect_uri_mismatch',
        'The redirect_uri MUST match the registered callback URL for this application.',
      );
    }
    const token = randomToken('ghu_');
    userTokens.set(token, {
      login: code.login,
      appId: app.id,
      expiresAt: Date.now() + USER_TOKEN_TTL_SECONDS * 1000,
    });
    return {
      status: 200,
      body: {
        access_token: token,
        expires_in: USER_TOKEN_TTL_SECONDS,
        refresh_token: randomToken('ghr_'),
        refresh_token_expires_in: 15_897_600,
        token_type: 'bearer',
        scope: '',
      },
    };
  };

  /** `GET /user` and `GET /user/installations`, with a user access token. */
  const userRoute = (
    method: string,
    rest: string[],
    query: URLSearchParams,
    token: string | undefined,
  ): Answer => {
    if (method !== 'GET' || rest.length > 1 || (rest.length === 1 && rest[0] !== 'installations')) {
      return githubError(404, 'Not Found');
    }
    if (token === undefined) return githubError(401, 'Requires authentication');
    const credential = userTokens.get(token);
    if (!credential || credential.expiresAt <= Date.now()) return githubError(401, 'Bad credentials');
    const user = users.get(credential.login.toLowerCase())!;
    if (rest.length === 0) {
      return {
        status: 200,
        body: {
          login: user.login,
          id: user.id,
          node_id: Buffer.from(`04:User${user.id}`).toString('base64'),
          type: 'User',
          site_admin: false,
          html_url: `${url}/${user.login}`,
        },
      };
    }
    // Only the installations of the app the token belongs to, as GitHub lists them.
    const all = [...user.installationIds]
      .map((id) => installations.get(id))
      .filter((installation): installation is InstallationRecord => installation?.appId === credential.appId);
    const asked = Number.parseInt(query.get('per_page') ?? '', 10);
    const perPage = asked > 0 ? Math.min(asked, 100) : 30;
    const page = Math.max(1, Number.parseInt(query.get('page') ?? '', 10) || 1);
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    const pageUrl = (n: number) => `<${url}/user/installations?per_page=${perPage}&page=${n}>`;
    const links = [
      ...(page < lastPage ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`] : []),
    ];
    return {
      status: 200,
      body: {
        total_count: all.length,
        installations: all
          .slice((page - 1) * perPage, page * perPage)
          .map((installation) => installationAnswer(installation).body),
      },
      ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
    };
  };

  /** `DELETE /applications/{client_id}/token`: the app revokes a user token (basic auth with its client). */
  const applicationsRoute = (
    method: string,
    rest: string[],
    requestBody: string,
    headers: IncomingMessage['headers'],
  ): Answer => {
    const [clientId, what, ...extra] = rest;
    if (method !== 'DELETE' || what !== 'token' || extra.length > 0) return githubError(404, 'Not Found');
    const app = [...apps.values()].find((candidate) => candidate.clientId === clientId);
    const basic = /^basic\s+(\S.*)$/i.exec(String(headers.authorization ?? ''))?.[1];
    const presented = basic === undefined ? '' : Buffer.from(basic, 'base64').toString('utf8');
    if (!app || presented !== `${app.clientId}:${app.clientSecret}`) return githubError(404, 'Not Found');
    const parameters = oauthParameters(requestBody, 'application/json');
    const token = parameters?.['access_token'];
    const credential = token === undefined ? undefined : userTokens.get(token);
    if (!credential || credential.appId !== app.id) return githubError(404, 'Not Found');
    userTokens.delete(token!);
    return { status: 204, body: null };
  };

  /** A commit in the shape GitHub's commits and compare endpoints give it. */
  const commitBody = async (repo: RepoRecord['repo'], sha: string): Promise<Commit> => {
    const fields = (
      await gitAsync(repo.path, [
        'show',
        '-s',
        '--format=%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B',
        sha,
      ])
    ).toString('utf8');
    const [tree, parents, an, ae, ad, cn, ce, cd, ...message] = fields.split('\0');
    const commitUrl = apiUrl(repo.owner, repo.name, `/commits/${sha}`);
    return {
      sha,
      node_id: Buffer.from(`04:Commit${sha}`).toString('base64'),
      url: commitUrl,
      html_url: `${url}/${repo.owner}/${repo.name}/commit/${sha}`,
      comments_url: `${commitUrl}/comments`,
      commit: {
        author: { name: an!, email: ae!, date: ad! },
        committer: { name: cn!, email: ce!, date: cd! },
        message: message.join('\0').trimEnd(),
        tree: { sha: tree!, url: apiUrl(repo.owner, repo.name, `/git/trees/${tree}`) },
        url: apiUrl(repo.owner, repo.name, `/git/commits/${sha}`),
        comment_count: 0,
      },
      author: null,
      committer: null,
      parents: (parents ?? '')
        .split(' ')
        .filter((parent) => parent !== '')
        .map((parent) => ({ sha: parent, url: apiUrl(repo.owner, repo.name, `/commits/${parent}`) })),
    };
  };

  const commitAnswer = async ({ repo }: RepoRecord, ref: string): Promise<Answer> => {
    if (!(await hasCommits(repo.path))) return githubError(409, 'Git Repository is empty.');
    const sha = await resolveRef(repo.path, ref, 'commit');
    if (!sha) return githubError(422, `No commit found for SHA: ${ref}`);
    return { status: 200, body: await commitBody(repo, sha) };
  };

  /**
   * `GET /repos/{o}/{r}/compare/{base}...{head}`: the merge base from `git merge-base`, the
   * commits of head not in base (`per_page` of them, 250 by default), no files. GitHub answers 404
   * for an unknown side and for sides without a common ancestor.
   */
  const compareAnswer = async (
    { repo }: RepoRecord,
    basehead: string,
    query: URLSearchParams,
  ): Promise<Answer> => {
    const dots = basehead.indexOf('...');
    const sides = dots > 0 ? [basehead.slice(0, dots), basehead.slice(dots + 3)] : null;
    const base = sides?.[1] && (await resolveRef(repo.path, sides[0]!, 'commit'));
    const head = sides?.[1] && (await resolveRef(repo.path, sides[1], 'commit'));
    if (!base || !head) return githubError(404, 'Not Found');
    const mergeBase = (await gitAsync(repo.path, ['merge-base', base, head]).catch(() => undefined))
      ?.toString('utf8')
      .trim();
    if (!mergeBase) return githubError(404, `No common ancestor between ${sides![0]} and ${sides![1]}.`);
    const revList = async (range: string) =>
      (await gitAsync(repo.path, ['rev-list', '--reverse', range]))
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '');
    const [ahead, behind] = [await revList(`${base}..${head}`), await revList(`${head}..${base}`)];
    const perPage = Math.min(250, Math.max(1, Number.parseInt(query.get('per_page') ?? '', 10) || 250));
    const compareUrl = apiUrl(repo.owner, repo.name, `/compare/${basehead}`);
    const body: Comparison = {
      url: compareUrl,
      html_url: `${url}/${repo.owner}/${repo.name}/compare/${basehead}`,
      permalink_url: `${url}/${repo.owner}/${repo.name}/compare/${base}...${head}`,
      diff_url: `${url}/${repo.owner}/${repo.name}/compare/${basehead}.diff`,
      patch_url: `${url}/${repo.owner}/${repo.name}/compare/${basehead}.patch`,
      base_commit: await commitBody(repo, base),
      merge_base_commit: await commitBody(repo, mergeBase),
      status:
        ahead.length === 0 && behind.length === 0
          ? 'identical'
          : behind.length === 0
            ? 'ahead'
            : ahead.length === 0
              ? 'behind'
              : 'diverged',
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: await Promise.all(ahead.slice(0, perPage).map((sha) => commitBody(repo, sha))),
    };
    return { status: 200, body };
  };

  const treeAnswer = async ({ repo }: RepoRecord, treeish: string, recursive: boolean): Promise<Answer> => {
    const tree = await resolveRef(repo.path, treeish, 'tree');
    if (!tree) return githubError(404, 'Not Found');
    const listing = await gitAsync(repo.path, [
      'ls-tree',
      '-l',
      '-z',
      ...(recursive ? ['-r', '-t'] : []),
      tree,
    ]);
    let entries = listing
      .toString('utf8')
      .split('\0')
      .filter((record) => record !== '')
      .map((record) => {
        // `<mode> <type> <sha> <size, space-padded; '-' for trees>\t<path>`
        const tab = record.indexOf('\t');
        const [mode, type, sha, size] = record.slice(0, tab).split(/ +/) as [string, string, string, string];
        const entryPath = record.slice(tab + 1);
        const kind = type === 'blob' ? 'blobs' : 'trees';
        return {
          path: entryPath,
          mode,
          type,
          sha,
          ...(type === 'blob' ? { size: Number(size) } : {}),
          ...(type === 'commit' ? {} : { url: apiUrl(repo.owner, repo.name, `/git/${kind}/${sha}`) }),
        };
      });
    const truncated = recursive && truncateTrees;
    if (truncated) entries = entries.slice(0, Math.ceil(entries.length / 2));
    return {
      status: 200,
      body: { sha: tree, url: apiUrl(repo.owner, repo.name, `/git/trees/${tree}`), tree: entries, truncated },
    };
  };

  const blobAnswer = async ({ repo }: RepoRecord, sha: string): Promise<Answer> => {
    if (!SHA1.test(sha)) {
      return githubError(422, 'The sha parameter must be exactly 40 characters and contain only [0-9a-f].');
    }
    const type = await gitAsync(repo.path, ['cat-file', '-t', sha]).catch(() => undefined);
    if (type?.toString('utf8').trim() !== 'blob') return githubError(404, 'Not Found');
    const bytes = await gitAsync(repo.path, ['cat-file', 'blob', sha]);
    return {
      status: 200,
      body: {
        sha,
        node_id: Buffer.from(`04:Blob${sha}`).toString('base64'),
        size: bytes.length,
        url: apiUrl(repo.owner, repo.name, `/git/blobs/${sha}`),
        content: wrapBase64(bytes.toString('base64')),
        encoding: 'base64',
      },
    };
  };

  const route = async (
    method: string,
    segments: string[],
    query: URLSearchParams,
    token: string | undefined,
    requestBody: string,
    headers: IncomingMessage['headers'],
  ): Promise<Answer> => {
    if (segments[0] === 'login' && segments[1] === 'oauth') {
      return oauthRoute(method, segments.slice(2), query, requestBody, headers);
    }
    if (segments[0] === 'user') return userRoute(method, segments.slice(1), query, token);
    if (segments[0] === 'applications')
      return applicationsRoute(method, segments.slice(1), requestBody, headers);
    if (segments[0] === 'app') return appRoute(method, segments.slice(1), token, requestBody);
    if (segments[0] === 'installation') return installationRoute(method, segments.slice(1), query, token);
    if (segments[0] !== 'repos' || segments.length < 3) return githubError(404, 'Not Found');
    const credential = token === undefined ? undefined : accessTokens.get(token);
    // GitHub answers an expired or uninstalled installation's token with 401 on any route.
    if (credential && !isLive(credential)) return githubError(401, 'Bad credentials');
    const record = repos.get(repoKey(segments[1]!, segments[2]!));
    const readable =
      record !== undefined &&
      (record.privateTokens === undefined ||
        (token !== undefined && record.privateTokens.includes(token)) ||
        (credential !== undefined && tokenRepos(credential).includes(record)));
    if (!record || !readable) {
      return githubError(404, 'Not Found');
    }
    const rest = segments.slice(3);
    const checks = await checksApi.route({
      method,
      repo: { id: record.id, owner: record.repo.owner, name: record.repo.name },
      rest,
      query,
      caller: checksCaller(record, token, credential),
      raw: requestBody,
    });
    if (checks) return checks;
    if (method !== 'GET') return githubError(404, 'Not Found');
    if (rest.length === 0) return repoAnswer(record);
    // A ref may hold slashes, sent encoded (Octokit) or not.
    if (rest[0] === 'commits' && rest.length >= 2) return commitAnswer(record, rest.slice(1).join('/'));
    if (rest[0] === 'compare' && rest.length >= 2)
      return compareAnswer(record, rest.slice(1).join('/'), query);
    if (rest[0] === 'git' && rest[1] === 'trees' && rest.length >= 3) {
      // GitHub recurses for any value of `recursive`, even `0` or `false`.
      return treeAnswer(record, rest.slice(2).join('/'), query.has('recursive'));
    }
    if (rest[0] === 'git' && rest[1] === 'blobs' && rest.length === 3) return blobAnswer(record, rest[2]!);
    return githubError(404, 'Not Found');
  };

  const checksApi = createChecksApi({
    url: () => url,
    commitOf: async (checksRepo, ref) => {
      const record = repoById(checksRepo.id);
      return record && (await hasCommits(record.repo.path))
        ? resolveRef(record.repo.path, ref, 'commit')
        : undefined;
    },
  });

  /** Who writes: an installation's token (its app and grants), a token that may write to the repository, or nobody. */
  const checksCaller = (
    record: RepoRecord,
    token: string | undefined,
    credential: AccessTokenRecord | undefined,
  ): ChecksCaller => {
    if (credential) {
      const installation = installations.get(credential.installationId)!;
      return {
        kind: 'installation',
        installationId: installation.id,
        appId: installation.appId,
        appSlug: apps.get(installation.appId)?.slug ?? `repoguard-stand-in-${installation.appId}`,
        permissions: credential.permissions,
      };
    }
    if (token === undefined) return { kind: 'anonymous' };
    // The org's or owner's token (a private repository's readers) or the stand-in's own may write.
    const canWrite = token === options.token || (record.privateTokens?.includes(token) ?? false);
    return { kind: 'token', token, canWrite };
  };

  const tokenOf = (req: IncomingMessage): string | undefined =>
    /^(?:token|bearer)\s+(\S.*)$/i.exec(req.headers.authorization ?? '')?.[1];
  const authorized = (token: string | undefined, segments: string[]): boolean =>
    options.token === undefined ||
    token === options.token ||
    // App JWTs, installation tokens, OAuth clients and user tokens are other credentials, checked
    // by the routes that take them.
    segments[0] === 'app' ||
    segments[0] === 'installation' ||
    segments[0] === 'login' ||
    segments[0] === 'user' ||
    segments[0] === 'applications' ||
    (token !== undefined && accessTokens.has(token));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const target = new URL(req.url ?? '/', 'http://stand-in');
    const segments = target.pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
    const query = target.search.slice(1);
    const received = { method, path: `/${segments.join('/')}`, ...(query ? { query } : {}) };
    requests.push(received);
    await holds.pass(received);

    // Faults are drawn before reading the body, so they go to requests in arrival order.
    if (hangs > 0) {
      hangs -= 1;
      req.resume();
      return; // never answered; `close` destroys the socket
    }
    const failure = failures.shift();
    if (failure) {
      req.resume();
      const { body } = githubError(failure.status, 'Injected failure');
      send(res, failure.status, body, failure.headers);
      return;
    }
    const requestBody = await readBody(req);
    const token = tokenOf(req);
    if (!authorized(token, segments)) {
      send(res, 401, githubError(401, 'Bad credentials').body);
      return;
    }
    const answer = await route(method, segments, target.searchParams, token, requestBody, req.headers);
    send(res, answer.status, answer.body, answer.headers);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) send(res, 500, githubError(500, String(error)).body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const idBase = randomInt(1, 2 ** 40) * 1000;
  // Apps, installations and accounts draw their own ranges for the same reason as repositories.
  const appIdBase = randomInt(1, 2 ** 40) * 1000;
  const installationIdBase = randomInt(1, 2 ** 40) * 1000;
  const accountIdBase = randomInt(1, 2 ** 40) * 1000;

  const installedRepo = (installation: InstallationRecord, fullName: string): RepoRecord => {
    const [owner, name, ...extra] = fullName.split('/');
    const record = owner && name && extra.length === 0 ? repos.get(repoKey(owner, name)) : undefined;
    if (!record)
      throw new Error(`the stand-in has no repository ${JSON.stringify(fullName)}: createRepo first`);
    if (record.repo.owner.toLowerCase() !== installation.account.toLowerCase()) {
      throw new Error(`${fullName} does not belong to ${installation.account}, where the app is installed`);
    }
    return record;
  };
  return {
    url,
    requests,
    async createRepo(owner, name, { defaultBranch = 'main', privateToken } = {}) {
      const key = repoKey(owner, name);
      if (repos.has(key)) throw new Error(`the stand-in already has ${owner}/${name}`);
      checkRefName(defaultBranch);
      // GitHub's repository ids are unique across GitHub: tests share one database, so each
      // stand-in draws its own range rather than reusing 1, 2, 3…
      const id = idBase + repos.size + 1;
      const dir = path.join(root, `${id}-${safeName(owner)}-${safeName(name)}`);
      fs.mkdirSync(dir);
      git(dir, ['init', '-q', '-b', defaultBranch]);
      if (options.cacheReads) readCaches.set(dir, new Map());
      const repo = createTestRepo(owner, name, defaultBranch, dir);
      repos.set(key, { id, repo, ...(privateToken !== undefined ? { privateTokens: [privateToken] } : {}) });
      return repo;
    },
    setVisibility(owner, name, visibility, readers = []) {
      const record = repos.get(repoKey(owner, name));
      if (!record) throw new Error(`the stand-in has no repository ${owner}/${name}`);
      if (visibility === 'public') delete record.privateTokens;
      else record.privateTokens = [...readers];
    },
    failNext(count, status, headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, headers });
    },
    hangNext() {
      hangs += 1;
    },
    holdNext(matches) {
      return holds.add(matches);
    },
    setTruncateTrees(truncate) {
      truncateTrees = truncate;
    },
    createApp() {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const appId = appIdBase + apps.size + 1;
      const oauth = {
        slug: `repoguard-stand-in-${appId}`,
        clientId: `Iv23li${randomToken('').slice(0, 14)}`,
        clientSecret: randomBytes(20).toString('hex'),
      };
      apps.set(appId, { id: appId, publicKey, ...oauth });
      return {
        appId,
        privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        ...oauth,
      };
    },
    createInstallation(account, repoNames, appId) {
      const app = appId === undefined ? [...apps.values()].at(-1) : apps.get(appId);
      if (!app)
        throw new Error(appId === undefined ? 'createApp before createInstallation' : `no app ${appId}`);
      installationCount += 1;
      const accountId = accountIds.get(account.toLowerCase()) ?? accountIdBase + accountIds.size + 1;
      accountIds.set(account.toLowerCase(), accountId);
      const installation: InstallationRecord = {
        id: installationIdBase + installationCount,
        appId: app.id,
        account,
        accountId,
        repoIds: new Set(),
        createdAt: isoSeconds(Date.now()),
      };
      // Every name is checked before the installation exists, so a typo leaves nothing half made.
      const records = repoNames.map((fullName) => installedRepo(installation, fullName));
      for (const record of records) installation.repoIds.add(record.id);
      installations.set(installation.id, installation);
      return installation.id;
    },
    addInstallationRepo(installationId, fullName) {
      const installation = installations.get(installationId);
      if (!installation) throw new Error(`no installation ${installationId} (never made, or revoked)`);
      installation.repoIds.add(installedRepo(installation, fullName).id);
    },
    revokeInstallation(installationId) {
      if (!installations.delete(installationId)) {
        throw new Error(`no installation ${installationId} (never made, or revoked)`);
      }
    },
    createUser(login, installationIds = []) {
      if (users.has(login.toLowerCase())) throw new Error(`the stand-in already has user ${login}`);
      for (const id of installationIds) {
        if (!installations.has(id)) throw new Error(`no installation ${id} (never made, or revoked)`);
      }
      users.set(login.toLowerCase(), {
        login,
        id: accountIdBase + 500_000 + users.size + 1,
        installationIds: new Set(installationIds),
      });
    },
    grantInstallation(login, installationId) {
      const user = users.get(login.toLowerCase());
      if (!user) throw new Error(`no user ${login}: createUser first`);
      if (!installations.has(installationId)) throw new Error(`no installation ${installationId}`);
      user.installationIds.add(installationId);
    },
    authorizeUser(login, { appId, redirectUri } = {}) {
      return mintCode(login, appId, redirectUri ?? null);
    },
    setInstallationTokenTtl(ms) {
      if (!Number.isFinite(ms) || ms <= 0) throw new Error(`not a token lifetime: ${ms}`);
      installationTokenTtlMs = ms;
    },
    checkRuns: (repo) => checksApi.checkRuns(repo),
    statuses: (repo) => checksApi.statuses(repo),
    checkRunEvent(checkRunId, action, { sender, identifier, pullRequest }) {
      const run = checksApi.checkRunBody(checkRunId);
      const checksRepo = checksApi.repoOfRun(checkRunId);
      const record = checksRepo && repoById(checksRepo.id);
      const installationId = checksApi.installationOfRun(checkRunId);
      if (!run || !record || installationId === undefined) throw new Error(`no check run ${checkRunId}`);
      const repoRef = {
        id: record.id,
        url: apiUrl(record.repo.owner, record.repo.name),
        name: record.repo.name,
      };
      const pullRequests = pullRequest
        ? [
            {
              url: apiUrl(record.repo.owner, record.repo.name, `/pulls/${pullRequest.number}`),
              id: record.id * 10 + pullRequest.number,
              number: pullRequest.number,
              head: { ref: pullRequest.headRef, sha: run.head_sha, repo: repoRef },
              base: { ref: pullRequest.baseRef, sha: pullRequest.baseSha, repo: repoRef },
            },
          ]
        : [];
      const senderId = users.get(sender.toLowerCase())?.id ?? accountIdBase + 900_000;
      return {
        event: 'check_run',
        payload: {
          action,
          check_run: {
            ...run,
            pull_requests: pullRequests,
            check_suite: {
              ...run.check_suite,
              head_sha: run.head_sha,
              pull_requests: pullRequests,
              app: run.app,
            },
          },
          ...(action === 'requested_action' ? { requested_action: { identifier: identifier ?? '' } } : {}),
          repository: repoBody(record),
          organization: {
            login: record.repo.owner,
            id: accountIds.get(record.repo.owner.toLowerCase()) ?? 0,
          },
          sender: { login: sender, id: senderId, type: 'User', site_admin: false },
          installation: {
            id: installationId,
            node_id: Buffer.from(`023:Installation${installationId}`).toString('base64'),
          },
        },
      };
    },
    reset() {
      requests.length = 0;
      failures = [];
      hangs = 0;
      holds.releaseAll();
      truncateTrees = false;
      installationTokenTtlMs = DEFAULT_INSTALLATION_TOKEN_TTL_MS;
    },
    async close() {
      holds.releaseAll();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung and keep-alive connections would hold `close` open forever.
        server.closeAllConnections();
      });
      for (const record of repos.values()) readCaches.delete(record.repo.path);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

function createTestRepo(owner: string, name: string, defaultBranch: string, dir: string): TestRepo {
  return {
    owner,
    name,
    defaultBranch,
    path: dir,
    async commit(files, message = 'commit', branch = defaultBranch) {
      checkRefName(branch);
      if (!hasCommitsSync(dir)) {
        // Nothing to switch from: the first commit simply lands on the named branch.
        git(dir, ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
      } else if (git(dir, ['symbolic-ref', '--short', 'HEAD']).toString('utf8').trim() !== branch) {
        const exists =
          tryGit(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]) !== undefined;
        git(dir, exists ? ['switch', '-q', branch] : ['switch', '-q', '-c', branch]);
      }
      for (const [file, content] of Object.entries(files)) {
        const target = path.join(dir, checkFilePath(file));
        if (content === null) {
          fs.rmSync(target, { force: true });
        } else {
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.writeFileSync(target, content);
        }
      }
      git(dir, ['add', '-A']);
      git(dir, [...AUTHOR, 'commit', '-q', '--allow-empty', '--no-verify', '-m', message]);
      readCaches.get(dir)?.clear();
      return git(dir, ['rev-parse', 'HEAD']).toString('utf8').trim();
    },
    async createBranch(branch, from = defaultBranch) {
      checkRefName(branch);
      checkRefName(from);
      git(dir, ['branch', branch, from]);
      readCaches.get(dir)?.clear();
    },
    async tag(tagName, from = defaultBranch) {
      checkRefName(tagName);
      checkRefName(from);
      git(dir, [...AUTHOR, 'tag', '-a', '-m', tagName, tagName, from]);
      readCaches.get(dir)?.clear();
    },
  };
}

/** What GitHub's commits and trees endpoints accept: a branch, a tag, or a (short) SHA. */
async function resolveRef(dir: string, ref: string, kind: 'commit' | 'tree'): Promise<string | undefined> {
  if (ref.startsWith('-')) return undefined;
  const candidates = [`refs/heads/${ref}`, `refs/tags/${ref}`];
  if (/^[0-9a-f]{4,40}$/.test(ref)) candidates.push(ref);
  for (const candidate of candidates) {
    const found = await gitAsync(dir, ['rev-parse', '--verify', '--quiet', `${candidate}^{${kind}}`]).catch(
      () => undefined,
    );
    if (found) return found.toString('utf8').trim();
  }
  return undefined;
}

async function hasCommits(dir: string): Promise<boolean> {
  return (await gitAsync(dir, ['for-each-ref', '--count=1', 'refs/heads'])).toString('utf8').trim() !== '';
}

function hasCommitsSync(dir: string): boolean {
  return tryGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']) !== undefined;
}

function git(dir: string, args: string[]): Buffer {
  return execFileSync('git', ['-C', dir, ...args], {
    env: GIT_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1024 * 1024 * 1024,
  });
}

function tryGit(dir: string, args: string[]): Buffer | undefined {
  try {
    return git(dir, args);
  } catch {
    return undefined;
  }
}

/** Repositories of stand-ins started with `cacheReads`: git's answers (failures too) by arguments. */
const readCaches = new Map<string, Map<string, Promise<Buffer>>>();

/** Asynchronous, so a large blob does not stall the test's own client on the same event loop. */
function gitAsync(dir: string, args: string[]): Promise<Buffer> {
  const cache = readCaches.get(dir);
  if (!cache) return runGit(dir, args);
  const key = args.join('\0');
  let answer = cache.get(key);
  if (!answer) {
    answer = runGit(dir, args);
    // Awaited by every caller; this only keeps a cached failure from counting as unhandled.
    answer.catch(() => undefined);
    cache.set(key, answer);
  }
  return answer;
}

function runGit(dir: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-C', dir, ...args],
      { env: GIT_ENV, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A JWT header or payload: base64url JSON holding an object, else undefined. */
function decodeJwtPart(part: string): Record<string, unknown> | undefined {
  if (!/^[\w-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** GitHub's timestamps: ISO 8601 in whole seconds, e.g. `2016-07-11T22:14:10Z`. */
function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** GitHub's error body. */
function githubError(status: number, message: string): Answer {
  return { status, body: { message, documentation_url: DOCS, status: String(status) } };
}

/** GitHub wraps blob base64 at 60 columns, each line ending in a newline. */
function wrapBase64(base64: string): string {
  let wrapped = '';
  for (let i = 0; i < base64.length; i += 60) wrapped += `${base64.slice(i, i + 60)}\n`;
  return wrapped;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const requestId = { 'x-github-request-id': `STAND-IN:${Date.now().toString(16)}` };
  if (status === 204) {
    res.writeHead(204, { ...requestId, ...headers });
    res.end();
    return;
  }
  sendJson(res, status, body, { ...requestId, ...headers }, 'application/json; charset=utf-8');
}

/** GitHub treats owner and repository names case-insensitively. */
function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

function safeName(value: string): string {
  return value.replace(/[^\w.-]/g, '_');
}

function checkRefName(name: string): void {
  if (name === '' || name.startsWith('-') || /[\s~^:?*[\\]/.test(name)) {
    throw new Error(`not a usable ref name: ${JSON.stringify(name)}`);
  }
}

function checkFilePath(file: string): string {
  const parts = file.split('/');
  if (
    path.isAbsolute(file) ||
    parts.some((part) => part === '' || part === '.' || part === '..' || part === '.git')
  ) {
    throw new Error(`not a repository-relative file path: ${JSON.stringify(file)}`);
  }
  return file;
}
