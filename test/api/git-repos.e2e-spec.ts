import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { StoredSecretEntity } from '@repoguard/infrastructure';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { packageLockV3 } from '../support/manifest-fixtures';
import { startGitHttpStandIn, type GitHttpStandIn } from '../stand-ins/git-http-stand-in';

const ADVISORY: OsvRecord = {
  id: 'RG-GIT-0001',
  modified: '2026-11-01T00:00:00Z',
  summary: 'a vulnerable pin found through a plain git remote',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'rg-git-demo' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
    },
  ],
};

// Repositories outside GitHub: connected by git URL, read with the git CLI (file:// and https://).
describe('repositories connected by git URL', () => {
  let stack: ApiStack;
  let http: GitHttpStandIn;
  let orgId: string;
  let token: string;
  const api = (method: string, p: string, body?: unknown) => stack.call(token, method, `/api/v1${p}`, body);

  beforeAll(async () => {
    http = await startGitHttpStandIn();
    stack = await startApiStack({
      name: 'git-repos',
      advisories: [ADVISORY],
      env: { GIT_ALLOW_FILE_URLS: 'true' },
      gitCaFile: http.caFile,
      encryptionKey: randomBytes(32).toString('base64'),
    });
    ({ orgId, ownerToken: token } = await stack.createOrg('git-repos'));
  });
  afterAll(async () => {
    await stack?.close();
    await http?.close();
  });

  async function scanToEnd(repoId: string) {
    const requested = await api('POST', `/repos/${repoId}/scan`, {});
    expect(requested.status).toBe(202);
    let scan = (await api('GET', `/scans/${requested.body.scan_id}`)).body;
    for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await api('GET', `/scans/${requested.body.scan_id}`)).body;
    }
    return scan;
  }

  async function repoWithManifests(name: string) {
    const repo = await stack.harness.github.createRepo('elsewhere', name);
    const sha = await repo.commit({
      'services/api/requirements.txt': 'rg-git-demo==1.4.0\nrequests==2.32.0\n',
      'web/package-lock.json': packageLockV3({ lodash: '4.17.21' }),
      'docs/big-diagram.bin': 'x'.repeat(100_000),
    });
    return { repo, sha };
  }

  it('connects a file:// repository and scans it without GitHub', async () => {
    const { repo, sha } = await repoWithManifests('local');
    const githubBefore = stack.harness.github.requests.length;
    const connected = await api('POST', `/orgs/${orgId}/repos`, { git_url: `file://${repo.path}` });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({
      provider: 'git',
      name: path.basename(repo.path),
      git_url: `file://${repo.path}`,
      default_branch: 'main',
      github_id: null,
    });
    const scan = await scanToEnd(connected.body.id);
    expect(scan).toMatchObject({ status: 'COMPLETED', commit_sha: sha, trigger: 'api' });
    const findings = await api('GET', `/repos/${connected.body.id}/findings`);
    expect(findings.body.items).toEqual([
      expect.objectContaining({
        vulnerability: expect.objectContaining({ id: ADVISORY.id }),
        dependency: expect.objectContaining({
          name: 'rg-git-demo',
          version: '1.4.0',
          manifest_path: 'services/api/requirements.txt',
        }),
      }),
    ]);
    expect(stack.harness.github.requests.length).toBe(githubBefore);

    const again = await api('POST', `/orgs/${orgId}/repos`, { git_url: `file://${repo.path}` });
    expect([again.status, again.body.error.code, again.body.error.details]).toEqual([
      409,
      'REPO_ALREADY_CONNECTED',
      [{ field: 'git_url', problem: 'is already connected' }],
    ]);
  });

  it('connects an https:// repository on a self-hosted server with its own CA, and scans a new commit', async () => {
    const { repo } = await repoWithManifests('remote');
    const url = http.serve('platform', 'remote', repo.path);
    const connected = await api('POST', `/orgs/${orgId}/repos`, { git_url: url });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({
      provider: 'git',
      owner: `${new URL(url).host}/platform`,
      name: 'remote',
    });
    const fixed = await repo.commit({ 'services/api/requirements.txt': 'rg-git-demo==2.0.0\n' }, 'upgrade');
    const scan = await scanToEnd(connected.body.id);
    expect(scan).toMatchObject({ status: 'COMPLETED', commit_sha: fixed });
    expect((await api('GET', `/repos/${connected.body.id}/findings`)).body.items).toEqual([]);
    expect(http.requests.some((r) => r.url.startsWith('/platform/remote.git/'))).toBe(true);
  });

  it('connects a private https:// repository with a login that is sealed and used by the worker', async () => {
    const { repo, sha } = await repoWithManifests('private');
    const login = { username: 'scanner', password: 'git-password-never-shown-0001' };
    const url = http.serve('secure', 'private', repo.path, login);
    const anonymous = await api('POST', `/orgs/${orgId}/repos`, { git_url: url });
    expect([anonymous.status, anonymous.body.error.code]).toEqual([422, 'REPO_NOT_FOUND']);
    const wrong = await api('POST', `/orgs/${orgId}/repos`, {
      git_url: url,
      git_credentials: { ...login, password: 'not-the-password' },
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([422, 'REPO_NOT_FOUND']);

    const connected = await api('POST', `/orgs/${orgId}/repos`, { git_url: url, git_credentials: login });
    expect(connected.status).toBe(201);
    expect(JSON.stringify(connected.body)).not.toContain(login.password);
    const stored = await stack.harness.orm.em
      .fork()
      .findOneOrFail(StoredSecretEntity, { orgId, kind: 'git_credentials', ownerId: connected.body.id });
    expect(stored.sealed).not.toContain(login.password);

    const scan = await scanToEnd(connected.body.id);
    expect(scan).toMatchObject({ status: 'COMPLETED', commit_sha: sha });
    expect(
      http.requests.filter((r) => r.url.startsWith('/secure/private.git/') && r.status === 200).length,
    ).toBeGreaterThan(0);

    const misplaced = await api('POST', `/orgs/${orgId}/repos`, { repo: 'acme/web', git_credentials: login });
    expect([misplaced.status, misplaced.body.error.details[0].field]).toEqual([400, 'git_credentials']);
  });

  it('refuses bad git URLs with the field named, and connects nothing', async () => {
    const cases: [unknown, number, string, string][] = [
      [{ git_url: 'ftp://example.com/a/b.git' }, 422, 'INVALID_GIT_URL', 'git_url'],
      [{ git_url: 'https://user:secret@example.com/a/b.git' }, 422, 'INVALID_GIT_URL', 'git_url'],
      [{ git_url: 'not a url at all' }, 422, 'INVALID_GIT_URL', 'git_url'],
      [{ git_url: `${http.url}/nobody/nothing.git` }, 422, 'REPO_NOT_FOUND', 'git_url'],
      [{ git_url: `${http.url}/a/b.git`, repo: 'acme/web' }, 400, 'REQUEST_INVALID', 'git_url'],
      [{}, 400, 'REQUEST_INVALID', 'repo'],
      [{ git_url: null }, 400, 'REQUEST_INVALID', 'git_url'],
      [{ git_url: 42 }, 400, 'REQUEST_INVALID', 'git_url'],
    ];
    const before = (await api('GET', `/orgs/${orgId}/repos`)).body.total;
    for (const [body, status, code, field] of cases) {
      const answer = await api('POST', `/orgs/${orgId}/repos`, body);
      expect([JSON.stringify(body), answer.status, answer.body.error.code]).toEqual([
        JSON.stringify(body),
        status,
        code,
      ]);
      expect(answer.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(JSON.stringify(answer.body)).not.toContain('secret@');
    }
    expect((await api('GET', `/orgs/${orgId}/repos`)).body.total).toBe(before);
  });
});
