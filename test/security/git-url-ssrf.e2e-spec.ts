// Trust boundary: a tenant admin names a git URL, and the server connects there. Through the real
// API and worker (started without GIT_ALLOWED_HOSTS), every URL whose host is or resolves to the
// loopback, a private, link-local, unspecified or multicast address, in any notation, is refused
// with 422 naming git_url before anything connects; a listener on the loopback proves it. Where
// the operator opened a host, every failure is answered alike, so an open port cannot be told from
// a closed one; and an org checks at most two remotes at once.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { AuditLogEntity, RepositoryEntity, StoredSecretEntity } from '@repoguard/infrastructure';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { startGitHttpStandIn, type GitHttpStandIn } from '../stand-ins/git-http-stand-in';
import { listenTcp, type Listener } from '../stand-ins/tcp-listener';

const V1 = '/api/v1';

/** A port nothing listens on (the OS handed it out, then it was closed). */
async function closedPort(): Promise<number> {
  const probe = await listenTcp();
  await probe.close();
  return probe.port;
}

/** Names /etc/hosts gives the loopback, besides localhost (none on some machines). */
function loopbackNamesInHostsFile(): string[] {
  const names = readFileSync('/etc/hosts', 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
    .filter(([address]) => address !== undefined && (/^127\./.test(address) || address === '::1'))
    .flatMap(([, ...hosts]) => hosts)
    .filter((host) => /^[a-z0-9.-]+$/i.test(host) && !/^localhost$/i.test(host));
  return [...new Set(names)].slice(0, 2);
}

interface RawAnswer {
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | null;
}

describe('no server-side request forgery through git_url', () => {
  let stack: ApiStack;
  let opened: ApiProcess; // the same database and queue, with GIT_ALLOWED_HOSTS=127.0.0.1
  let stand: GitHttpStandIn;
  let trap: Listener;
  let orgId: string;
  let token: string;
  const encryptionKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    trap = await listenTcp();
    stand = await startGitHttpStandIn();
    stack = await startApiStack({
      name: 'git-url-ssrf',
      gitAllowedHosts: [],
      gitCaFile: stand.caFile,
      encryptionKey,
    });
    opened = await startApiProcess(
      testApiEnv({
        GITHUB_API_URL: stack.harness.github.url,
        TEMPORAL_TASK_QUEUE: stack.harness.taskQueue,
        REPOGUARD_ENCRYPTION_KEY: encryptionKey,
        GIT_SSL_CA_FILE: stand.caFile,
        GIT_ALLOWED_HOSTS: '127.0.0.1',
      }),
    );
    ({ orgId, ownerToken: token } = await stack.createOrg('ssrf'));
  });
  afterAll(async () => {
    await opened?.close();
    await stack?.close();
    await stand?.close();
    await trap?.close();
  });

  async function connect(apiUrl: string, body: unknown): Promise<RawAnswer> {
    const response = await fetch(`${apiUrl}${V1}/orgs/${orgId}/repos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      text: await response.text(),
      retryAfter: response.headers.get('retry-after'),
    };
  }

  async function storedState() {
    const em = stack.harness.orm.em.fork();
    return {
      repos: await em.count(RepositoryEntity, { orgId }, { filters: false }),
      secrets: await em.count(StoredSecretEntity, { orgId, kind: 'git_credentials' }, { filters: false }),
      connected: await em.count(AuditLogEntity, { orgId, action: 'repo.connected' }, { filters: false }),
    };
  }

  it('refuses every loopback, private, link-local, unspecified and multicast host, in any notation, before connecting', async () => {
    const p = trap.port;
    const forbidden = [
      `https://127.0.0.1:${p}/x.git`,
      `https://localhost:${p}/x.git`,
      `https://LocalHost:${p}/x.git`,
      `https://[::1]:${p}/x.git`,
      `ssh://git@127.0.0.1:${p}/x.git`,
      `ssh://git@localhost:${p}/x.git`,
      `ssh://git@[::1]:${p}/x.git`,
      `https://0.0.0.0:${p}/x.git`,
      `https://[::]:${p}/x.git`,
      'https://169.254.169.254/latest/meta-data.git',
      'https://10.0.0.1/x.git',
      'https://172.16.0.1/x.git',
      'https://172.31.255.254/x.git',
      'https://192.168.1.1/x.git',
      'https://100.64.0.1/x.git',
      'https://[fc00::1]/x.git',
      'https://[fe80::1]/x.git',
      'https://224.0.0.1/x.git',
      'https://255.255.255.255/x.git',
      `https://[::ffff:127.0.0.1]:${p}/x.git`,
      `https://[::ffff:7f00:1]:${p}/x.git`,
      `https://2130706433:${p}/x.git`,
      `https://0x7f000001:${p}/x.git`,
      `https://0177.0.0.1:${p}/x.git`,
      `https://127.1:${p}/x.git`,
      `https://0:${p}/x.git`,
      `ssh://git@2130706433:${p}/x.git`,
      `ssh://git@0x7f000001:${p}/x.git`,
      ...loopbackNamesInHostsFile().map((name) => `https://${name}:${p}/x.git`),
    ];
    const before = await storedState();
    for (const gitUrl of forbidden) {
      for (const body of [
        { git_url: gitUrl },
        { git_url: gitUrl, git_credentials: { username: 'u', password: 'p' } },
      ]) {
        const answer = await connect(stack.url, body);
        const error = JSON.parse(answer.text).error;
        expect([
          gitUrl,
          answer.status,
          error.code,
          error.details.map((d: { field: string }) => d.field),
        ]).toEqual([gitUrl, 422, 'GIT_URL_HOST_FORBIDDEN', ['git_url']]);
      }
    }
    expect(trap.sockets).toHaveLength(0);
    expect(await storedState()).toEqual(before);
  });

  it('refuses the schemes git could be led astray with (git://, http://, file://, ext::), and ambiguous URLs', async () => {
    const p = trap.port;
    const refused: [string, string][] = [
      [`git://127.0.0.1:${p}/x.git`, 'INVALID_GIT_URL'],
      [`http://127.0.0.1:${p}/x.git`, 'INVALID_GIT_URL'],
      [`ext::sh -c "nc 127.0.0.1 ${p}"`, 'INVALID_GIT_URL'],
      [`ext::nc%20127.0.0.1%20${p}`, 'INVALID_GIT_URL'],
      ['file:///etc/x.git', 'VALIDATION_FAILED'],
      [`file://127.0.0.1/etc/x.git`, 'VALIDATION_FAILED'],
      [`https://github.com\\@127.0.0.1:${p}/x.git`, 'INVALID_GIT_URL'],
      [`https://127.0.0.1:${p}\t/x.git`, 'INVALID_GIT_URL'],
      [`git@127.0.0.1:x.git`, 'INVALID_GIT_URL'],
    ];
    const before = await storedState();
    for (const [gitUrl, code] of refused) {
      const answer = await connect(stack.url, { git_url: gitUrl });
      const error = JSON.parse(answer.text).error;
      expect([
        gitUrl,
        answer.status,
        error.code,
        error.details.map((d: { field: string }) => d.field),
      ]).toEqual([gitUrl, 422, code, ['git_url']]);
    }
    expect(trap.sockets).toHaveLength(0);
    expect(await storedState()).toEqual(before);
  });

  it('re-checks at scan time: the worker refuses a stored URL whose host is the loopback now, and connects nowhere', async () => {
    const em = stack.harness.orm.em.fork();
    // As if connected while the name pointed elsewhere: it resolves to the loopback by scan time.
    const repo = em.create(RepositoryEntity, {
      orgId,
      provider: 'git',
      owner: `localhost:${trap.port}/acme`,
      name: 'rebound',
      defaultBranch: 'main',
      gitUrl: `https://localhost:${trap.port}/acme/rebound.git`,
    });
    await em.flush();
    const requested = await stack.call(token, 'POST', `${V1}/repos/${repo.id}/scan`, {});
    expect(requested.status).toBe(202);
    let scan = (await stack.call(token, 'GET', `${V1}/scans/${requested.body.scan_id}`)).body;
    for (let i = 0; i < 240 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await stack.call(token, 'GET', `${V1}/scans/${requested.body.scan_id}`)).body;
    }
    expect([scan.status, scan.error?.code]).toEqual(['FAILED', 'GIT_URL_HOST_FORBIDDEN']);
    expect(trap.sockets).toHaveLength(0);
  });

  describe('where the operator opened the host (GIT_ALLOWED_HOSTS=127.0.0.1)', () => {
    let silent: Listener;
    let hangUp: Listener;
    let web: HttpServer;
    let webPort: number;

    beforeAll(async () => {
      silent = await listenTcp((socket) => socket.resume());
      hangUp = await listenTcp((socket) => socket.destroy());
      web = createHttpServer((_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hello</h1>'),
      );
      await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
      webPort = (web.address() as { port: number }).port;
    });
    afterAll(async () => {
      await silent?.close();
      await hangUp?.close();
      await new Promise((resolve) => web?.close(resolve));
    });

    it('answers a closed port, an open port that speaks no git, and no repository byte for byte alike', async () => {
      // An ssh:// URL needs the org's own deploy key before anything connects; with one, ssh runs.
      const deployKey = await fetch(`${opened.url}${V1}/orgs/${orgId}/ssh-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, connection: 'close' },
      });
      expect(deployKey.status).toBe(201);
      const closed = await closedPort();
      const attempts = [
        `https://127.0.0.1:${closed}/x/y.git`, // closed
        `https://127.0.0.1:${hangUp.port}/x/y.git`, // open, hangs up at once
        `https://127.0.0.1:${webPort}/x/y.git`, // open, plain HTTP (not TLS, not git)
        `${stand.url}/nobody/nothing.git`, // a git server, no such repository
        `ssh://git@127.0.0.1:${closed}/x/y.git`, // closed
        `ssh://git@127.0.0.1:${webPort}/x/y.git`, // open, speaks HTTP, not ssh
        'https://no-such-host.invalid/x/y.git', // resolves to nothing
      ];
      const before = await storedState();
      const answers: RawAnswer[] = [];
      for (const gitUrl of attempts) answers.push(await connect(opened.url, { git_url: gitUrl }));
      expect(answers[0]!.status).toBe(422);
      expect(JSON.parse(answers[0]!.text)).toEqual({
        error: {
          code: 'REPO_NOT_FOUND',
          message: 'git_url: no readable repository with a default branch is there',
          details: [{ field: 'git_url', problem: 'no readable repository with a default branch is there' }],
        },
      });
      for (const [i, answer] of answers.entries()) {
        expect([attempts[i], answer]).toEqual([attempts[i], answers[0]]);
      }
      expect(await storedState()).toEqual(before);
    });

    it('bounds a check that never gets an answer at 10 s (answered alike), and an org runs two at once: the third is told to retry', async () => {
      const gitUrl = `https://127.0.0.1:${silent.port}/x/y.git`;
      const before = await storedState();
      const answers = await Promise.all([1, 2, 3].map(() => connect(opened.url, { git_url: gitUrl })));
      const uniform = await connect(opened.url, {
        git_url: `https://127.0.0.1:${await closedPort()}/x/y.git`,
      });
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([422, 422, 429]);
      const busy = answers.find((a) => a.status === 429)!;
      expect([JSON.parse(busy.text).error.code, busy.retryAfter]).toEqual(['RATE_LIMITED', '10']);
      for (const answer of answers.filter((a) => a.status === 422)) expect(answer).toEqual(uniform);
      // The silent server saw git arrive, and the killed git let go of every connection.
      expect(silent.sockets.length).toBeGreaterThan(0);
      await Promise.all(
        silent.sockets.map((s) => (s.closed ? Promise.resolve() : new Promise((r) => s.once('close', r)))),
      );
      expect(await storedState()).toEqual(before);
    });

    it('still connects a real repository there', async () => {
      const repo = await stack.harness.github.createRepo('ssrf', 'allowed');
      await repo.commit({ 'requirements.txt': 'requests==2.32.0\n' });
      const url = stand.serve('ssrf', 'allowed', repo.path);
      const answer = await connect(opened.url, { git_url: url });
      expect([answer.status, JSON.parse(answer.text).git_url]).toEqual([201, url]);
      // The API without the opt-in refuses the same URL.
      const strict = await connect(stack.url, { git_url: url });
      expect([strict.status, JSON.parse(strict.text).error.code]).toEqual([422, 'GIT_URL_HOST_FORBIDDEN']);
    });
  });
});
