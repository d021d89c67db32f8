// Linking a GitHub App installation to an org (through GitHub's setup flow: a GitHub user who can
// access it proves control), listing what it grants, connecting a private repository through it
// and scanning it; a foreign or unknown installation gets nowhere.
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { linkInstallation } from '../support/github-link';
import { request } from '../support/http';

describe('GitHub App installations through the API', () => {
  let stack: ApiStack;
  let installation: number;

  beforeAll(async () => {
    stack = await startApiStack({ name: 'app-api', withGithubApp: true });
    const github = stack.harness.github;
    for (const name of ['alpha', 'beta', 'gamma']) {
      const repo = await github.createRepo('octo-private', name, { privateToken: `only-${randomUUID()}` });
      await repo.commit({ 'requirements.txt': 'requests==2.19.0\n' }, 'initial');
    }
    installation = github.createInstallation('octo-private', ['octo-private/alpha', 'octo-private/beta']);
    github.createUser('octo-admin', [installation]);
  });
  afterAll(async () => stack?.close());

  it('links an installation once, lists its repositories and connects and scans a private one', async () => {
    const org = await stack.createOrg('app-org');
    const other = await stack.createOrg('app-other');
    const api = (token: string, method: string, path: string, body?: unknown) =>
      stack.call(token, method, `/api/v1${path}`, body);

    // An installation id alone proves nothing: the old route links nothing and says what to do.
    const bare = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/github/installations`, {
      installation_id: installation,
    });
    expect([bare.status, bare.body.error.code]).toEqual([410, 'GITHUB_INSTALLATION_PROOF_REQUIRED']);

    const linked = await linkInstallation(stack, org.ownerToken, org.orgId, installation, 'octo-admin');
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({
      org_id: org.orgId,
      github_login: 'octo-admin',
      installation: { installation_id: String(installation), account: { login: 'octo-private' } },
    });
    const again = await linkInstallation(stack, other.ownerToken, other.orgId, installation, 'octo-admin');
    expect([again.status, again.body.error.code]).toEqual([409, 'GITHUB_INSTALLATION_ALREADY_LINKED']);

    const listed = await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/github/installations`);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ installation_id: String(installation), revoked_at: null }),
    ]);
    const repos = await api(
      org.ownerToken,
      'GET',
      `/orgs/${org.orgId}/github/repos?installation_id=${installation}`,
    );
    expect(repos.status).toBe(200);
    expect(
      repos.body.items
        .map((r: { full_name: string; private: boolean }) => `${r.full_name}:${r.private}`)
        .sort(),
    ).toEqual(['octo-private/alpha:true', 'octo-private/beta:true']);
    const filtered = await api(
      org.ownerToken,
      'GET',
      `/orgs/${org.orgId}/github/repos?installation_id=${installation}&query=BET`,
    );
    expect(filtered.body.items.map((r: { full_name: string }) => r.full_name)).toEqual(['octo-private/beta']);
    // Another org cannot list it, nor connect through it.
    const foreign = await api(
      other.ownerToken,
      'GET',
      `/orgs/${other.orgId}/github/repos?installation_id=${installation}`,
    );
    expect([foreign.status, foreign.body.error.code]).toEqual([422, 'GITHUB_INSTALLATION_NOT_FOUND']);
    const foreignConnect = await api(other.ownerToken, 'POST', `/orgs/${other.orgId}/repos`, {
      repo: 'octo-private/alpha',
      installation_id: installation,
    });
    expect(foreignConnect.status).toBe(422);

    // Without the installation the private repository is invisible; through it, it connects.
    const hidden = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, {
      repo: 'octo-private/alpha',
    });
    expect([hidden.status, hidden.body.error.code]).toEqual([422, 'REPO_NOT_FOUND']);
    const notGranted = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, {
      repo: 'octo-private/gamma',
      installation_id: installation,
    });
    expect([notGranted.status, notGranted.body.error.code]).toEqual([422, 'REPO_NOT_FOUND']);
    const connected = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, {
      repo: 'octo-private/alpha',
      installation_id: installation,
    });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({
      full_name: 'octo-private/alpha',
      installation_id: String(installation),
    });

    const queued = await api(org.ownerToken, 'POST', `/repos/${connected.body.id}/scan`, {});
    let scan = (await api(org.ownerToken, 'GET', `/scans/${queued.body.scan_id}`)).body;
    for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await api(org.ownerToken, 'GET', `/scans/${queued.body.scan_id}`)).body;
    }
    expect(scan).toMatchObject({ status: 'COMPLETED', counts: { manifests: 1 } });
  });

  it('marks the installation revoked when GitHub says the app was uninstalled', async () => {
    const github = stack.harness.github;
    await github.createRepo('uninstalled-org', 'repo');
    const id = github.createInstallation('uninstalled-org', ['uninstalled-org/repo']);
    github.createUser('uninstalled-admin', [id]);
    const org = await stack.createOrg('uninstall');
    expect((await linkInstallation(stack, org.ownerToken, org.orgId, id, 'uninstalled-admin')).status).toBe(
      200,
    );

    const body = JSON.stringify({
      action: 'deleted',
      installation: { id, account: { login: 'uninstalled-org' } },
      sender: { login: 'x' },
    });
    const answer = await request(`${stack.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'x-github-event': 'installation',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': await sign(stack.webhookSecret!, body),
      },
      body,
    });
    expect([answer.status, answer.body.outcome]).toEqual([202, 'installation revoked']);
    const listed = await stack.call(org.ownerToken, 'GET', `/api/v1/orgs/${org.orgId}/github/installations`);
    expect(listed.body.items[0].revoked_at).toEqual(expect.any(String));
  });

  it('stops scanning a repository taken out of the installation, and resumes when it is granted again', async () => {
    const github = stack.harness.github;
    const repo = await github.createRepo('granting-org', 'svc', { privateToken: `only-${randomUUID()}` });
    await repo.commit({ 'requirements.txt': 'requests==2.19.0\n' }, 'initial');
    const id = github.createInstallation('granting-org', ['granting-org/svc']);
    const org = await stack.createOrg('granting');
    const api = (method: string, path: string, body?: unknown) =>
      stack.call(org.ownerToken, method, `/api/v1${path}`, body);
    github.createUser('granting-admin', [id]);
    expect((await linkInstallation(stack, org.ownerToken, org.orgId, id, 'granting-admin')).status).toBe(200);
    const connected = await api('POST', `/orgs/${org.orgId}/repos`, {
      repo: 'granting-org/svc',
      installation_id: id,
    });
    expect(connected.status).toBe(201);

    // The published example, re-pointed at our installation and repository.
    const example = examples
      .find((d) => d.name === 'installation_repositories')!
      .examples.find((e) => (e as { action: string }).action === 'removed') as unknown as Record<
      string,
      unknown
    >;
    const deliver = async (action: 'added' | 'removed') => {
      const grant = [
        { id: Number(connected.body.github_id), name: 'svc', full_name: 'granting-org/svc', private: true },
      ];
      const body = JSON.stringify({
        ...example,
        action,
        installation: { ...(example['installation'] as object), id },
        repositories_added: action === 'added' ? grant : [],
        repositories_removed: action === 'removed' ? grant : [],
      });
      return request(`${stack.url}/api/v1/webhooks/github`, {
        method: 'POST',
        headers: {
          'x-github-event': 'installation_repositories',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': await sign(stack.webhookSecret!, body),
        },
        body,
      });
    };

    expect((await deliver('removed')).body).toMatchObject({ handled: true, outcome: 'repositories updated' });
    const view = await api('GET', `/orgs/${org.orgId}/repos/${connected.body.id}`);
    expect(view.body.disabled).toEqual({
      at: expect.any(String),
      reason: 'removed from the GitHub App installation',
    });
    const refused = await api('POST', `/repos/${connected.body.id}/scan`, {});
    expect([refused.status, refused.body.error.code]).toEqual([409, 'REPO_DISABLED']);

    expect((await deliver('added')).body).toMatchObject({ handled: true });
    expect((await api('GET', `/orgs/${org.orgId}/repos/${connected.body.id}`)).body.disabled).toBeNull();
    expect((await api('POST', `/repos/${connected.body.id}/scan`, {})).status).toBe(202);
    const target = { orgId: org.orgId, repoId: connected.body.id, owner: 'granting-org', name: 'svc' };
    expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED' });
  });
});
