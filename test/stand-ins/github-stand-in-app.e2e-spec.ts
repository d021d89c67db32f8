import { generateKeyPairSync, sign } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  startGithubStandIn,
  type GithubStandIn,
  type GithubStandInApp,
  type GithubStandInOptions,
} from './github-stand-in';

// The GitHub App half of the stand-in, driven with plain fetch and JWTs signed here, so a
// mistake in the stand-in cannot hide behind the same mistake in a client library.

const UNDECODABLE = 'A JSON web token could not be decoded';
const EXP_PAST =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
const IAT_INVALID =
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

interface TokenBody {
  readonly token: string;
  readonly expires_at: string;
  readonly permissions: Record<string, string>;
  readonly repository_selection: string;
  readonly repositories?: { full_name: string }[];
}

interface RepoListBody {
  readonly total_count: number;
  readonly repository_selection: string;
  readonly repositories: { full_name: string; private: boolean }[];
}

// What the stand-in grants every installation: RepoGuard's app reads and writes checks and statuses.
const GRANTED = {
  checks: 'write',
  contents: 'read',
  metadata: 'read',
  pull_requests: 'read',
  statuses: 'write',
};

const standIns: GithubStandIn[] = [];

afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
});

async function start(options?: GithubStandInOptions): Promise<GithubStandIn> {
  const standIn = await startGithubStandIn(options);
  standIns.push(standIn);
  return standIn;
}

/** A stand-in with one app installed on `acme` for a private and a public repository. */
async function installedApp(options?: GithubStandInOptions) {
  const github = await start(options);
  const secret = await github.createRepo('acme', 'secret', { privateToken: 'owner-pat' });
  await secret.commit({ 'requirements.txt': 'django==4.2.11\n' });
  const open = await github.createRepo('acme', 'open');
  await open.commit({ 'package.json': '{}\n' });
  const app = github.createApp();
  const installationId = github.createInstallation('acme', ['acme/secret', 'acme/open']);
  return { github, app, installationId };
}

function signJwt(
  privateKeyPem: string,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' },
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), privateKeyPem).toString('base64url')}`;
}

/** A JWT as @octokit/auth-app makes one: issued 30 s ago, good for the 10 minutes GitHub allows. */
function appJwt(app: GithubStandInApp, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(app.privateKeyPem, { iat: now - 30, exp: now + 570, iss: app.appId, ...claims });
}

async function call(
  github: GithubStandIn,
  method: string,
  path: string,
  authorization?: string,
  body?: string,
): Promise<Reply> {
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      ...(authorization !== undefined ? { authorization } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function issueToken(
  github: GithubStandIn,
  app: GithubStandInApp,
  installationId: number,
  body?: string,
): Promise<TokenBody> {
  const reply = await call(
    github,
    'POST',
    `/app/installations/${installationId}/access_tokens`,
    `Bearer ${appJwt(app)}`,
    body,
  );
  expect(reply.status).toBe(201);
  return reply.body as unknown as TokenBody;
}

describe('GitHub stand-in: app JWTs and installation tokens', () => {
  it('issues an installation token to a JWT signed with the app key', async () => {
    const { github, app, installationId } = await installedApp();
    const before = Date.now();

    const reply = await call(
      github,
      'POST',
      `/app/installations/${installationId}/access_tokens`,
      `Bearer ${appJwt(app)}`,
    );

    expect(reply.status).toBe(201);
    const body = reply.body as unknown as TokenBody;
    expect(body).toEqual({
      token: expect.stringMatching(/^ghs_[A-Za-z0-9]{36}$/),
      expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      permissions: GRANTED,
      repository_selection: 'selected',
    });
    const expiresAt = Date.parse(body.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);

    // GitHub takes `iss` as a string of digits too; every token is a new one.
    const fromStringIss = await call(
      github,
      'POST',
      `/app/installations/${installationId}/access_tokens`,
      `Bearer ${appJwt(app, { iss: String(app.appId) })}`,
    );
    expect(fromStringIss.status).toBe(201);
    expect((fromStringIss.body as unknown as TokenBody).token).not.toBe(body.token);
  });

  it('hands out the private key in the PKCS#1 form GitHub uses', async () => {
    const github = await start();
    const app = github.createApp();
    expect(app.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(github.createApp().appId).not.toBe(app.appId);
  });

  it('describes the installation to its app', async () => {
    const { github, app, installationId } = await installedApp();

    const reply = await call(github, 'GET', `/app/installations/${installationId}`, `Bearer ${appJwt(app)}`);

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: installationId,
      account: { login: 'acme', id: expect.any(Number), type: 'Organization' },
      app_id: app.appId,
      target_type: 'Organization',
      repository_selection: 'selected',
      permissions: GRANTED,
      events: ['push'],
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
      suspended_at: null,
      access_tokens_url: `${github.url}/app/installations/${installationId}/access_tokens`,
    });
  });

  it('refuses a JWT not signed with the app key, or no JWT at all', async () => {
    const { github, app, installationId } = await installedApp();
    const tokensPath = `/app/installations/${installationId}/access_tokens`;
    const now = Math.floor(Date.now() / 1000);
    const claims = { iat: now - 30, exp: now + 570, iss: app.appId };
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const [header, payload] = appJwt(app).split('.');
    const refused = [
      signJwt(otherKey, claims),
      signJwt(github.createApp().privateKeyPem, claims), // a real app's key, but not this app's
      `${header}.${payload}.`, // unsigned
      signJwt(app.privateKeyPem, claims, { alg: 'none', typ: 'JWT' }),
      signJwt(app.privateKeyPem, { ...claims, iss: 'acme' }),
      'not-a-jwt',
    ];

    for (const jwt of refused) {
      const reply = await call(github, 'POST', tokensPath, `Bearer ${jwt}`);
      expect({ jwt, status: reply.status, message: reply.body['message'] }).toEqual({
        jwt,
        status: 401,
        message: UNDECODABLE,
      });
      expect(reply.body['documentation_url']).toEqual(expect.stringContaining('docs.github.com'));
    }
    expect((await call(github, 'POST', tokensPath)).status).toBe(401);
    const described = await call(
      github,
      'GET',
      `/app/installations/${installationId}`,
      `Bearer ${refused[0]}`,
    );
    expect(described).toMatchObject({ status: 401, body: { message: UNDECODABLE } });
  });

  it('refuses JWTs outside GitHub’s time window, with GitHub’s messages', async () => {
    const { github, app, installationId } = await installedApp();
    const tokensPath = `/app/installations/${installationId}/access_tokens`;
    const now = Math.floor(Date.now() / 1000);
    const post = (claims: Record<string, unknown>) =>
      call(github, 'POST', tokensPath, `Bearer ${signJwt(app.privateKeyPem, { iss: app.appId, ...claims })}`);

    expect(await post({ iat: now - 700, exp: now - 100 })).toMatchObject({
      status: 401,
      body: { message: EXP_PAST },
    });
    expect(await post({ iat: now - 10, exp: now + 660 })).toMatchObject({
      status: 401,
      body: { message: EXP_TOO_FAR },
    });
    expect(await post({ iat: now + 120, exp: now + 600 })).toMatchObject({
      status: 401,
      body: { message: IAT_INVALID },
    });
    expect(await post({ exp: now + 500 })).toMatchObject({ status: 401, body: { message: IAT_INVALID } });
    // Up to a minute of clock drift on `iat` is tolerated.
    expect((await post({ iat: now + 30, exp: now + 600 })).status).toBe(201);
  });

  it('hides unknown installations and those of other apps', async () => {
    const { github, app, installationId } = await installedApp();
    const otherApp = github.createApp();

    const unknown = await call(
      github,
      'POST',
      `/app/installations/${installationId + 999}/access_tokens`,
      `Bearer ${appJwt(app)}`,
    );
    const foreign = await call(
      github,
      'POST',
      `/app/installations/${installationId}/access_tokens`,
      `Bearer ${appJwt(otherApp)}`,
    );
    const foreignDescribed = await call(
      github,
      'GET',
      `/app/installations/${installationId}`,
      `Bearer ${appJwt(otherApp)}`,
    );

    expect(unknown).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect(foreign.status).toBe(404);
    expect(foreignDescribed.status).toBe(404);
  });

  it('refuses new tokens once the installation is revoked, and its old tokens stop working', async () => {
    const { github, app, installationId } = await installedApp();
    const { token } = await issueToken(github, app, installationId);
    expect((await call(github, 'GET', '/repos/acme/secret', `token ${token}`)).status).toBe(200);

    github.revokeInstallation(installationId);

    const jwt = `Bearer ${appJwt(app)}`;
    expect(
      (await call(github, 'POST', `/app/installations/${installationId}/access_tokens`, jwt)).status,
    ).toBe(404);
    expect((await call(github, 'GET', `/app/installations/${installationId}`, jwt)).status).toBe(404);
    for (const path of ['/repos/acme/secret', '/repos/acme/open', '/installation/repositories']) {
      const reply = await call(github, 'GET', path, `token ${token}`);
      expect({ path, status: reply.status, message: reply.body['message'] }).toEqual({
        path,
        status: 401,
        message: 'Bad credentials',
      });
    }
    expect(() => github.revokeInstallation(installationId)).toThrow(/no installation/);
  });

  it('lets an installation token read the private repositories of its installation, and only those', async () => {
    const { github, app, installationId } = await installedApp();
    const elsewhere = await github.createRepo('acme', 'elsewhere', { privateToken: 'owner-pat' });
    await elsewhere.commit({ 'go.mod': 'module acme/elsewhere\n' });
    const { token } = await issueToken(github, app, installationId);
    const asApp = `token ${token}`;

    const repo = await call(github, 'GET', '/repos/acme/secret', asApp);
    expect(repo).toMatchObject({ status: 200, body: { full_name: 'acme/secret', private: true } });
    const commit = await call(github, 'GET', '/repos/acme/secret/commits/main', `Bearer ${token}`);
    expect(commit.status).toBe(200);
    const treeSha = (commit.body['commit'] as { tree: { sha: string } }).tree.sha;
    const tree = await call(github, 'GET', `/repos/acme/secret/git/trees/${treeSha}?recursive=1`, asApp);
    const [entry] = tree.body['tree'] as { path: string; sha: string }[];
    expect(entry?.path).toBe('requirements.txt');
    const blob = await call(github, 'GET', `/repos/acme/secret/git/blobs/${entry?.sha}`, asApp);
    expect(Buffer.from(String(blob.body['content']), 'base64').toString('utf8')).toBe('django==4.2.11\n');

    // Without the token (or with one GitHub never issued) the private repository does not exist.
    expect((await call(github, 'GET', '/repos/acme/secret')).status).toBe(404);
    expect((await call(github, 'GET', '/repos/acme/secret', `token ghs_${'x'.repeat(36)}`)).status).toBe(404);
    // A private repository outside the installation stays hidden; public ones are readable by anyone.
    expect((await call(github, 'GET', '/repos/acme/elsewhere', asApp)).status).toBe(404);
    expect((await call(github, 'GET', '/repos/acme/open', asApp)).status).toBe(200);
    // The repository's own token still works as before.
    expect((await call(github, 'GET', '/repos/acme/secret', 'token owner-pat')).status).toBe(200);

    // Adding the repository to the installation opens it to tokens already issued.
    github.addInstallationRepo(installationId, 'acme/elsewhere');
    expect((await call(github, 'GET', '/repos/acme/elsewhere', asApp)).status).toBe(200);
  });

  it('does not let one installation’s token into another installation’s private repository', async () => {
    const { github, app } = await installedApp();
    const other = await github.createRepo('globex', 'private-one', { privateToken: 'globex-pat' });
    await other.commit({ 'Cargo.lock': '' });
    const globexInstallation = github.createInstallation('globex', ['globex/private-one']);
    const { token } = await issueToken(github, app, globexInstallation);

    expect((await call(github, 'GET', '/repos/globex/private-one', `token ${token}`)).status).toBe(200);
    expect((await call(github, 'GET', '/repos/acme/secret', `token ${token}`)).status).toBe(404);
  });

  it('expires installation tokens after the configured lifetime', async () => {
    const { github, app, installationId } = await installedApp();
    github.setInstallationTokenTtl(1000);
    const issuedAt = Date.now();
    const { token, expires_at } = await issueToken(github, app, installationId);
    expect(Date.parse(expires_at)).toBeLessThanOrEqual(issuedAt + 2000);
    expect(Date.parse(expires_at)).toBeGreaterThan(issuedAt - 1000);
    expect((await call(github, 'GET', '/repos/acme/secret', `token ${token}`)).status).toBe(200);

    await sleep(Math.max(0, issuedAt + 1100 - Date.now()));

    for (const path of ['/repos/acme/secret', '/repos/acme/open', '/installation/repositories']) {
      const reply = await call(github, 'GET', path, `token ${token}`);
      expect({ path, status: reply.status, message: reply.body['message'] }).toEqual({
        path,
        status: 401,
        message: 'Bad credentials',
      });
    }
    // A fresh token works again; `reset` restores GitHub's hour.
    github.reset();
    const fresh = await issueToken(github, app, installationId);
    expect((await call(github, 'GET', '/repos/acme/secret', `token ${fresh.token}`)).status).toBe(200);
    expect(Date.parse(fresh.expires_at)).toBeGreaterThan(Date.now() + 3500_000);
  });

  it('lists the installation’s repositories page by page, with GitHub’s Link header', async () => {
    const github = await start();
    const names = ['a', 'b', 'c', 'd', 'e'].map((letter) => `acme/repo-${letter}`);
    for (const fullName of names) {
      await github.createRepo('acme', fullName.split('/')[1]!, { privateToken: 'owner-pat' });
    }
    await github.createRepo('acme', 'not-installed');
    const app = github.createApp();
    const installationId = github.createInstallation('acme', names);
    const { token } = await issueToken(github, app, installationId);
    const list = (query: string) =>
      call(github, 'GET', `/installation/repositories${query}`, `token ${token}`);

    const all = await list('');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total_count: 5, repository_selection: 'selected' });
    expect((all.body as unknown as RepoListBody).repositories.map((repo) => repo.full_name)).toEqual(names);
    expect(all.headers.get('link')).toBeNull();
    // Each entry is the repository as `GET /repos/{owner}/{repo}` answers it.
    const single = await call(github, 'GET', `/repos/${names[0]}`, `token ${token}`);
    expect((all.body as unknown as RepoListBody).repositories[0]).toEqual(single.body);

    const pages: string[][] = [];
    let next: string | undefined = `${github.url}/installation/repositories?per_page=2`;
    while (next !== undefined) {
      const response: Response = await fetch(next, { headers: { authorization: `token ${token}` } });
      const body = (await response.json()) as RepoListBody;
      expect(body.total_count).toBe(5);
      pages.push(body.repositories.map((repo) => repo.full_name));
      next = /<([^<>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    }
    expect(pages).toEqual([names.slice(0, 2), names.slice(2, 4), names.slice(4)]);

    const last = await list('?per_page=2&page=3');
    expect(last.headers.get('link')).toBe(
      `<${github.url}/installation/repositories?per_page=2&page=2>; rel="prev", ` +
        `<${github.url}/installation/repositories?per_page=2&page=1>; rel="first"`,
    );
    const beyond = await list('?per_page=2&page=4');
    expect(beyond.body).toMatchObject({ total_count: 5, repositories: [] });

    expect((await call(github, 'GET', '/installation/repositories')).status).toBe(401);
    expect((await call(github, 'GET', '/installation/repositories', 'token owner-pat')).status).toBe(401);
  });

  it('scopes a token to the repositories it is asked for', async () => {
    const { github, app, installationId } = await installedApp();
    const second = await github.createRepo('acme', 'second', { privateToken: 'owner-pat' });
    await second.commit({ 'Gemfile.lock': '' });
    github.addInstallationRepo(installationId, 'acme/second');

    const scoped = await issueToken(
      github,
      app,
      installationId,
      JSON.stringify({ repositories: ['second'] }),
    );

    expect(scoped.repositories?.map((repo) => repo.full_name)).toEqual(['acme/second']);
    expect((await call(github, 'GET', '/repos/acme/second', `token ${scoped.token}`)).status).toBe(200);
    expect((await call(github, 'GET', '/repos/acme/secret', `token ${scoped.token}`)).status).toBe(404);
    const listed = await call(github, 'GET', '/installation/repositories', `token ${scoped.token}`);
    expect(listed.body).toMatchObject({ total_count: 1 });

    const tokensPath = `/app/installations/${installationId}/access_tokens`;
    const jwt = `Bearer ${appJwt(app)}`;
    expect(
      (await call(github, 'POST', tokensPath, jwt, JSON.stringify({ repositories: ['nope'] }))).status,
    ).toBe(422);
    const tooMuch = JSON.stringify({ permissions: { contents: 'write' } });
    expect((await call(github, 'POST', tokensPath, jwt, tooMuch)).status).toBe(422);
    expect((await call(github, 'POST', tokensPath, jwt, '{not json')).status).toBe(400);
  });

  it('keeps its own token check for other routes while accepting app credentials', async () => {
    const { github, app, installationId } = await installedApp({ token: 'stand-in-pat' });

    const { token } = await issueToken(github, app, installationId);

    expect((await call(github, 'GET', '/repos/acme/secret', `token ${token}`)).status).toBe(200);
    expect((await call(github, 'GET', '/installation/repositories', `token ${token}`)).status).toBe(200);
    expect((await call(github, 'GET', '/repos/acme/open', 'token stand-in-pat')).status).toBe(200);
    expect((await call(github, 'GET', '/repos/acme/open')).status).toBe(401);
    expect((await call(github, 'GET', '/repos/acme/open', `token ghs_${'x'.repeat(36)}`)).status).toBe(401);
    // The stand-in's token is no JWT.
    const asPat = await call(
      github,
      'POST',
      `/app/installations/${installationId}/access_tokens`,
      'Bearer stand-in-pat',
    );
    expect(asPat).toMatchObject({ status: 401, body: { message: UNDECODABLE } });
  });

  it('refuses installations of repositories it does not have or that belong to another account', async () => {
    const github = await start();
    await github.createRepo('acme', 'web');
    await github.createRepo('globex', 'api');
    expect(() => github.createInstallation('acme', ['acme/web'])).toThrow(/createApp/);
    github.createApp();

    expect(() => github.createInstallation('acme', ['acme/missing'])).toThrow(/no repository/);
    expect(() => github.createInstallation('acme', ['globex/api'])).toThrow(/does not belong to acme/);
    const installationId = github.createInstallation('acme', ['acme/web']);
    expect(installationId).toBeGreaterThan(1000);
    expect(github.createInstallation('globex', ['globex/api'])).not.toBe(installationId);
  });
});

describe("GitHub stand-in: the web flow for the app's users", () => {
  const CALLBACK = 'https://repoguard.test/api/v1/github/setup';

  /** What an app's server sends to exchange a code, as JSON (Octokit does). */
  const exchange = (github: GithubStandIn, body: Record<string, string>) =>
    call(github, 'POST', '/login/oauth/access_token', undefined, JSON.stringify(body));

  it('redirects the signed-in browser with a code, exchanges it once for a user token listing what the user can access', async () => {
    const { github, app, installationId } = await installedApp();
    await github.createRepo('globex', 'other');
    const foreign = github.createInstallation('globex', ['globex/other']);
    const otherApp = github.createApp();
    await github.createRepo('initech', 'tps');
    const otherAppsInstallation = github.createInstallation('initech', ['initech/tps'], otherApp.appId);
    github.createUser('octocat', [installationId, otherAppsInstallation]);
    github.createUser('globex-admin', [foreign]);

    const authorize = `${github.url}/login/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&state=s-1`;
    const redirected = await fetch(authorize, {
      redirect: 'manual',
      headers: { 'x-stand-in-user': 'octocat' },
    });
    expect(redirected.status).toBe(302);
    const location = new URL(redirected.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('state')).toBe('s-1');
    const code = location.searchParams.get('code')!;
    // Nobody signed in: no code.
    expect((await fetch(authorize, { redirect: 'manual' })).status).toBe(401);

    const credentials = { client_id: app.clientId, client_secret: app.clientSecret };
    const exchanged = await exchange(github, { ...credentials, code, redirect_uri: CALLBACK });
    expect(exchanged).toMatchObject({
      status: 200,
      body: {
        access_token: expect.stringMatching(/^ghu_/),
        token_type: 'bearer',
        scope: '',
        expires_in: 28800,
      },
    });
    const userToken = `Bearer ${String(exchanged.body['access_token'])}`;
    expect((await call(github, 'GET', '/user', userToken)).body).toMatchObject({
      login: 'octocat',
      type: 'User',
    });
    const listed = await call(github, 'GET', '/user/installations', userToken);
    expect(listed.body).toMatchObject({
      total_count: 1,
      installations: [{ id: installationId, account: { login: 'acme' }, app_id: app.appId }],
    });

    // A code is single use; a wrong secret, another app's client or another redirect_uri is refused.
    expect((await exchange(github, { ...credentials, code, redirect_uri: CALLBACK })).body).toMatchObject({
      error: 'bad_verification_code',
    });
    const fresh = () => github.authorizeUser('octocat', { appId: app.appId, redirectUri: CALLBACK });
    expect(
      (await exchange(github, { ...credentials, client_secret: 'nope', code: fresh() })).body,
    ).toMatchObject({
      error: 'incorrect_client_credentials',
    });
    expect(
      (
        await exchange(github, {
          client_id: otherApp.clientId,
          client_secret: otherApp.clientSecret,
          code: fresh(),
        })
      ).body,
    ).toMatchObject({ error: 'bad_verification_code' });
    expect(
      (await exchange(github, { ...credentials, code: fresh(), redirect_uri: 'https://evil.test/cb' })).body,
    ).toMatchObject({ error: 'redirect_uri_mismatch' });

    // Another user sees only theirs; no token, a forged one or an installation token gets nothing.
    const globex = await exchange(github, {
      ...credentials,
      code: github.authorizeUser('globex-admin', { appId: app.appId }),
    });
    const globexListed = await call(
      github,
      'GET',
      '/user/installations',
      `token ${String(globex.body['access_token'])}`,
    );
    expect(globexListed.body).toMatchObject({ total_count: 1, installations: [{ id: foreign }] });
    expect((await call(github, 'GET', '/user/installations')).status).toBe(401);
    expect((await call(github, 'GET', '/user', `Bearer ghu_${'x'.repeat(36)}`)).status).toBe(401);
    const { token: installationToken } = await issueToken(github, app, installationId);
    expect((await call(github, 'GET', '/user/installations', `token ${installationToken}`)).status).toBe(401);

    // The app revokes the token with its client credentials; then it is dead.
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    const accessToken = String(exchanged.body['access_token']);
    const revoke = (authorization: string) =>
      fetch(`${github.url}/applications/${app.clientId}/token`, {
        method: 'DELETE',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: accessToken }),
      });
    expect((await revoke(basic(app.clientId, 'wrong'))).status).toBe(404);
    expect((await revoke(basic(app.clientId, app.clientSecret))).status).toBe(204);
    expect((await call(github, 'GET', '/user', userToken)).status).toBe(401);
  });

  it('pages the user’s installations with a Link header', async () => {
    const github = await start();
    const app = github.createApp();
    const ids: number[] = [];
    for (const account of ['a1', 'a2', 'a3']) {
      await github.createRepo(account, 'r');
      ids.push(github.createInstallation(account, [`${account}/r`]));
    }
    github.createUser('many', ids);
    expect(() => github.createUser('many')).toThrow(/already/);
    expect(() => github.authorizeUser('nobody')).toThrow(/createUser/);
    const exchanged = await exchange(github, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code: github.authorizeUser('many'),
    });
    const token = String(exchanged.body['access_token']);

    const pages: number[][] = [];
    let next: string | undefined = `${github.url}/user/installations?per_page=2`;
    while (next !== undefined) {
      const response: Response = await fetch(next, { headers: { authorization: `token ${token}` } });
      const body = (await response.json()) as { total_count: number; installations: { id: number }[] };
      expect(body.total_count).toBe(3);
      pages.push(body.installations.map((installation) => installation.id));
      next = /<([^<>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    }
    expect(pages).toEqual([ids.slice(0, 2), ids.slice(2)]);
  });
});
