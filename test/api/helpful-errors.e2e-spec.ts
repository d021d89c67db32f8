import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startApiStack, type ApiStack } from '../support/api-stack';
import type { JsonResponse } from '../support/http';

// Mistakes a new user makes in the first hour, each answered with a 4xx that says what to do:
// the wrong content type, a git_url that is not a repository, the admin token on an org route,
// one message per invalid field, and listing API keys with a personal token.
describe('mistakes get answers that say what to do', () => {
  let stack: ApiStack;
  let orgId: string;
  let token: string;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'repoguard-helpful-errors-'));
    // file:// allowed: the widest set of URLs a tenant could aim at the server's own disk.
    stack = await startApiStack({ name: 'helpful-errors', env: { GIT_ALLOW_FILE_URLS: 'true' } });
    ({ orgId, ownerToken: token } = await stack.createOrg('helpful-errors'));
  });
  afterAll(async () => {
    await stack?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const send = (method: string, p: string, body: string | undefined, headers: Record<string, string>) =>
    fetch(`${stack.url}/api/v1${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, connection: 'close', ...headers },
      ...(body !== undefined ? { body } : {}),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as JsonResponse['body'] }));

  describe('a body that is not JSON gets 415 naming application/json', () => {
    it.each([
      ['form-encoded', 'application/x-www-form-urlencoded', 'repo=acme%2Fapp'],
      ['text/plain', 'text/plain', '{"repo": "acme/app"}'],
      ['XML', 'application/xml', '<repo>acme/app</repo>'],
      [
        'multipart',
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="repo"\r\n\r\nacme/app\r\n--x--\r\n',
      ],
      ['JSON of another type', 'application/merge-patch+json', '{"repo": "acme/app"}'],
    ])('%s', async (_, type, body) => {
      const answer = await send('POST', `/orgs/${orgId}/repos`, body, { 'content-type': type });
      expect(answer).toEqual({
        status: 415,
        body: {
          error: {
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: expect.stringContaining('Content-Type: application/json'),
            details: [{ field: 'content-type', problem: 'must be application/json' }],
          },
        },
      });
    });

    it('a body with no Content-Type at all', async () => {
      const answer = await fetch(`${stack.url}/api/v1/orgs/${orgId}/policies`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, connection: 'close' },
        // A Uint8Array: fetch adds no Content-Type of its own for bytes.
        body: new TextEncoder().encode('{"rules": {}}'),
      });
      expect(answer.status).toBe(415);
      expect(await answer.json()).toMatchObject({
        error: { code: 'UNSUPPORTED_MEDIA_TYPE', details: [{ field: 'content-type' }] },
      });
    });

    it('JSON with a charset is read, and a route without a body needs no Content-Type', async () => {
      const policy = await send('PUT', `/orgs/${orgId}/policies`, '{"rules": {"warn_on_severity": "LOW"}}', {
        'content-type': 'application/json; charset=utf-8',
      });
      expect(policy.status).toBe(200);
      const repos = await send('GET', `/orgs/${orgId}/repos`, undefined, {});
      expect(repos.status).toBe(200);
    });
  });

  describe('no git_url gets a 5xx: each is a 4xx naming git_url', () => {
    const hostile: [string, () => string][] = [
      ['a file, not a repository', () => inScratch('plain-file', (at) => writeFileSync(at, 'hello\n'))],
      [
        'a file that looks like a .git file',
        () => inScratch('gitfile', (at) => writeFileSync(at, 'gitdir: /etc\n')),
      ],
      ['/etc/passwd', () => 'file:///etc/passwd'],
      ['a directory that is not a repository', () => inScratch('not-a-repo', (at) => mkdirSync(at))],
      ['/dev/zero', () => 'file:///dev/zero'],
      ['/dev/null', () => 'file:///dev/null'],
      ['a fifo', () => inScratch('fifo', (at) => execFileSync('mkfifo', [at]))],
      ['a symlink to /dev/zero', () => inScratch('zero-link', (at) => symlinkSync('/dev/zero', at))],
      [
        'a dangling symlink',
        () => inScratch('dangling', (at) => symlinkSync(path.join(scratch, 'nowhere'), at)),
      ],
      [
        'a repository with no commit',
        () => inScratch('empty-repo', (at) => execFileSync('git', ['init', '--quiet', '--bare', at])),
      ],
      ['a path of 1,900 characters', () => `file:///${'a/'.repeat(950)}`],
      ['unicode', () => 'file:///tmp/d\u00e9p\u00f4t-\u2603/\u4ed3\u5e93.git'],
      ['percent-encoded NUL', () => 'file:///tmp/repo%00.git'],
      ['a stray percent', () => 'file:///tmp/100%.git'],
      ['ext:: transport', () => 'ext::sh -c touch% /tmp/repoguard-pwned'],
      ['fd:: transport', () => 'fd::17'],
      ['git://', () => 'git://example.com/repo.git'],
      ['http://', () => 'http://example.com/repo.git'],
      ['scp-like', () => 'git@example.com:repo.git'],
      ['an option as a host', () => 'ssh://-oProxyCommand=touch%20x/repo.git'],
      ['file:// with no path', () => 'file:///'],
      ['a loopback https host', () => 'https://127.0.0.1:1/repo.git'],
      ['an unclosed IPv6 host', () => 'https://[::1/repo.git'],
      ['a newline', () => 'https://example.com/repo.git\n--upload-pack=touch'],
      ['a relative path', () => 'repo.git/../../etc'],
    ];
    it.each(hostile)('%s', async (_, url) => {
      const answer = await stack.call(token, 'POST', `/api/v1/orgs/${orgId}/repos`, { git_url: url() });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.body.error.details).toEqual([{ field: 'git_url', problem: expect.any(String) }]);
    });

    it.each([
      ['a number', 42],
      ['null', null],
      ['an array', ['file:///tmp']],
      ['an object', { url: 'file:///tmp' }],
      ['over 2,000 characters', `https://example.com/${'a'.repeat(2000)}`],
    ])('%s', async (_, value) => {
      const answer = await stack.call(token, 'POST', `/api/v1/orgs/${orgId}/repos`, { git_url: value });
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toEqual([{ field: 'git_url', problem: expect.any(String) }]);
    });
  });

  it('the admin token on an org route gets a 403 saying it only creates orgs', async () => {
    for (const [method, p] of [
      ['GET', `/orgs/${orgId}/repos`],
      ['GET', `/orgs/${orgId}/members`],
      ['PUT', `/orgs/${orgId}/policies`],
      ['GET', `/auth/api-keys?org_id=${orgId}`],
      ['GET', '/auth/api-keys'],
    ] as const) {
      const answer = await stack.call(
        stack.adminToken,
        method,
        `/api/v1${p}`,
        method === 'PUT' ? { rules: {} } : undefined,
      );
      expect({ route: `${method} ${p}`, status: answer.status, error: answer.body.error }).toEqual({
        route: `${method} ${p}`,
        status: 403,
        error: {
          code: 'ADMIN_TOKEN_ORG_ROUTE',
          message: expect.stringMatching(/only creates organizations \(POST \/api\/v1\/orgs\)/),
          details: [],
        },
      });
    }
  });

  it('one message per invalid field, the most basic one', async () => {
    const repo = await stack.call(token, 'POST', `/api/v1/orgs/${orgId}/repos`, {
      git_url: 'https://example.com/repo.git',
      git_credentials: { username: 5, password: [] },
    });
    expect(repo.status).toBe(400);
    expect(repo.body.error.details).toEqual([
      { field: 'git_credentials.username', problem: 'must be a string' },
      { field: 'git_credentials.password', problem: 'must be a string' },
    ]);
    const key = await stack.call(token, 'POST', '/api/v1/auth/api-keys', {
      org_id: orgId,
      name: 7,
      role: 'god',
    });
    expect(key.status).toBe(400);
    expect(key.body.error.details).toEqual([
      { field: 'name', problem: 'must be a string' },
      { field: 'role', problem: 'must be one of owner, admin, viewer' },
    ]);
  });

  it('GET /auth/api-keys with a personal token and no org_id: 400 explaining org_id', async () => {
    const answer = await stack.call(token, 'GET', '/api/v1/auth/api-keys');
    expect(answer).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'REQUEST_INVALID',
          message: expect.stringMatching(/org_id is required with a personal token.*GET \/api\/v1\/orgs\/me/),
          details: [{ field: 'org_id', problem: expect.stringMatching(/^is required/) }],
        },
      },
    });
    const listed = await stack.call(token, 'GET', `/api/v1/auth/api-keys?org_id=${orgId}`);
    expect(listed).toMatchObject({ status: 200, body: { items: [] } });
  });

  /** The file:// URL of a path made in the scratch directory by `make`. */
  function inScratch(name: string, make: (at: string) => void): string {
    const at = path.join(scratch, name);
    make(at);
    return `file://${at}`;
  }
});
