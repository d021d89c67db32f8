// Trust boundary: linking a GitHub App installation to an org. An admin of org B tries to take
// org A's installation (and with it A's private repositories) through the real API: by bare id,
// with a GitHub user who cannot access it, and with forged, expired, foreign and replayed states.
// Every attempt fails and A's link, A's audit log and B's view stay as they were; the positive
// control shows the same flow links an installation the GitHub user can access.
import { randomUUID } from 'node:crypto';
import { GithubInstallationEntity, GithubLinkRequestEntity } from '@repoguard/infrastructure';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { authorizeOnGithub, callSetup, linkInstallation, requestLink } from '../support/github-link';
import { request } from '../support/http';

const V1 = '/api/v1';
const SETUP_URL = 'https://repoguard.test/api/v1/github/setup';

describe('linking a GitHub App installation needs proof of control', () => {
  let stack: ApiStack;
  let orgA: { orgId: string; ownerToken: string };
  let orgB: { orgId: string; ownerToken: string };
  /** A's installation (account acme-gh), which alice-a can access; B's own (evil-gh), mallory-b's. */
  let installationA: number;
  let installationB: number;
  let baseline: { linkedAt: string; auditIds: string[] };

  const api = (token: string, method: string, path: string, body?: unknown) =>
    stack.call(token, method, `${V1}${path}`, body);
  const stateOf = (url: string) => new URL(url).searchParams.get('state')!;
  const auditOf = async (org: { orgId: string; ownerToken: string }) => {
    const answer = await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/audit-logs?per_page=100`);
    expect(answer.status).toBe(200);
    return answer.body.items as { id: string; action: string; metadata: Record<string, unknown> }[];
  };

  /** A's installation is linked to A exactly as before, and B reaches nothing of it. */
  async function expectAUntouched(): Promise<void> {
    const row = await stack.harness.orm.em
      .fork()
      .findOneOrFail(GithubInstallationEntity, { installationId: String(installationA) });
    expect({ orgId: row.orgId, revokedAt: row.revokedAt }).toEqual({ orgId: orgA.orgId, revokedAt: null });
    const listedA = await api(orgA.ownerToken, 'GET', `/orgs/${orgA.orgId}/github/installations`);
    expect(listedA.body.items).toEqual([
      {
        installation_id: String(installationA),
        account: { login: 'acme-gh', type: 'Organization' },
        revoked_at: null,
        linked_at: baseline.linkedAt,
      },
    ]);
    expect((await auditOf(orgA)).map((row) => row.id)).toEqual(baseline.auditIds);
    const listedB = await api(orgB.ownerToken, 'GET', `/orgs/${orgB.orgId}/github/installations`);
    expect(listedB.body.items.map((i: { installation_id: string }) => i.installation_id)).not.toContain(
      String(installationA),
    );
    const reposB = await api(
      orgB.ownerToken,
      'GET',
      `/orgs/${orgB.orgId}/github/repos?installation_id=${installationA}`,
    );
    expect([reposB.status, reposB.body.error.code]).toEqual([422, 'GITHUB_INSTALLATION_NOT_FOUND']);
    const connectB = await api(orgB.ownerToken, 'POST', `/orgs/${orgB.orgId}/repos`, {
      repo: 'acme-gh/secret-svc',
      installation_id: installationA,
    });
    expect(connectB.status).toBe(422);
  }

  const tokenExchanges = () =>
    stack.harness.github.requests.filter((r) => r.method === 'POST' && r.path === '/login/oauth/access_token')
      .length;

  beforeAll(async () => {
    stack = await startApiStack({ name: 'sec-install-link', withGithubApp: true });
    const github = stack.harness.github;
    const secret = await github.createRepo('acme-gh', 'secret-svc', { privateToken: `only-${randomUUID()}` });
    await secret.commit({ 'requirements.txt': 'requests==2.19.0\n' }, 'initial');
    await github.createRepo('evil-gh', 'tool');
    installationA = github.createInstallation('acme-gh', ['acme-gh/secret-svc']);
    installationB = github.createInstallation('evil-gh', ['evil-gh/tool']);
    github.createUser('alice-a', [installationA]);
    github.createUser('mallory-b', [installationB]);
    orgA = await stack.createOrg('victim');
    orgB = await stack.createOrg('attacker');

    const linked = await linkInstallation(stack, orgA.ownerToken, orgA.orgId, installationA, 'alice-a');
    expect(linked.status).toBe(200);
    baseline = {
      linkedAt: linked.body.installation.linked_at,
      auditIds: (await auditOf(orgA)).map((row) => row.id),
    };
  });
  afterAll(async () => stack?.close());

  it('refuses a link by bare installation id, and B cannot start a link request in A', async () => {
    const bare = await api(orgB.ownerToken, 'POST', `/orgs/${orgB.orgId}/github/installations`, {
      installation_id: installationA,
    });
    expect([bare.status, bare.body.error.code]).toEqual([410, 'GITHUB_INSTALLATION_PROOF_REQUIRED']);
    expect(bare.body.error.details).toEqual([{ field: 'installation_id', problem: expect.any(String) }]);
    // Even a fresh, never-linked installation is not linked by its id.
    const fresh = await api(orgB.ownerToken, 'POST', `/orgs/${orgB.orgId}/github/installations`, {
      installation_id: installationB,
    });
    expect(fresh.status).toBe(410);
    const inA = await requestLink(stack, orgB.ownerToken, orgA.orgId, installationA);
    expect([inA.status, inA.body.error.code]).toEqual([404, 'NOT_FOUND']);

    // An API key of B's admin role cannot start one either: a person proves control on GitHub.
    const key = await api(orgB.ownerToken, 'POST', '/auth/api-keys', {
      org_id: orgB.orgId,
      name: `linker-${randomUUID().slice(0, 6)}`,
      role: 'admin',
    });
    expect(key.status).toBe(201);
    const byKey = await requestLink(stack, key.body.key, orgB.orgId, installationA);
    expect([byKey.status, byKey.body.error.code]).toEqual([403, 'PERSONAL_TOKEN_REQUIRED']);

    const rows = await stack.harness.orm.em.fork().find(GithubInstallationEntity, { orgId: orgB.orgId });
    expect(rows).toEqual([]);
    await expectAUntouched();
  });

  it('refuses the flow when the GitHub user behind the code cannot access the installation', async () => {
    // B names A's installation, then authorizes as its own GitHub user.
    const started = await requestLink(stack, orgB.ownerToken, orgB.orgId, installationA);
    expect(started.status).toBe(201);
    const redirect = await authorizeOnGithub(started.body.authorize_url, 'mallory-b');
    expect(`${redirect.origin}${redirect.pathname}`).toBe(SETUP_URL);
    const refused = await callSetup(stack, Object.fromEntries(redirect.searchParams));
    expect([refused.status, refused.body.error.code]).toEqual([403, 'GITHUB_INSTALLATION_NOT_ACCESSIBLE']);
    expect(refused.body.error.details).toEqual([{ field: 'installation_id', problem: expect.any(String) }]);

    // The install-style callback (GitHub naming the installation) with B's own user: the same.
    const install = await requestLink(stack, orgB.ownerToken, orgB.orgId);
    const code = stack.harness.github.authorizeUser('mallory-b', { redirectUri: SETUP_URL });
    const asInstall = await callSetup(stack, {
      code,
      installation_id: String(installationA),
      setup_action: 'install',
      state: stateOf(install.body.install_url),
    });
    expect([asInstall.status, asInstall.body.error.code]).toEqual([
      403,
      'GITHUB_INSTALLATION_NOT_ACCESSIBLE',
    ]);

    // A request that names B's own installation cannot be redirected to A's by the callback.
    const own = await requestLink(stack, orgB.ownerToken, orgB.orgId, installationB);
    const swapped = await callSetup(stack, {
      code: stack.harness.github.authorizeUser('mallory-b', { redirectUri: SETUP_URL }),
      installation_id: String(installationA),
      setup_action: 'install',
      state: stateOf(own.body.authorize_url),
    });
    expect([swapped.status, swapped.body.error.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect(swapped.body.error.details).toEqual([{ field: 'installation_id', problem: expect.any(String) }]);

    // B's owners see who tried, under B: nothing is written in A.
    const refusals = (await auditOf(orgB)).filter((row) => row.action === 'github_installation.link_refused');
    expect(refusals.map((row) => row.metadata['error'])).toEqual(
      expect.arrayContaining(['GITHUB_INSTALLATION_NOT_ACCESSIBLE', 'VALIDATION_FAILED']),
    );
    expect(
      refusals.find((row) => row.metadata['error'] === 'GITHUB_INSTALLATION_NOT_ACCESSIBLE')!.metadata,
    ).toMatchObject({ github_login: 'mallory-b' });
    await expectAUntouched();
  });

  it('refuses forged states without asking GitHub anything', async () => {
    stack.harness.github.reset();
    const code = stack.harness.github.authorizeUser('alice-a', { redirectUri: SETUP_URL });
    const tries = [
      `rg_ghl_${Buffer.from(randomUUID()).toString('base64url')}`, // the right shape, never issued
      `rg_inv_${Buffer.from(randomUUID()).toString('base64url')}`, // another kind of RepoGuard secret
      'state-an-attacker-made-up',
    ];
    for (const state of tries) {
      const answer = await callSetup(stack, { code, installation_id: String(installationA), state });
      expect({
        state,
        status: answer.status,
        code: answer.body.error.code,
        details: answer.body.error.details,
      }).toEqual({
        state,
        status: 422,
        code: 'GITHUB_LINK_STATE_INVALID',
        details: [{ field: 'state', problem: expect.any(String) }],
      });
    }
    const missing = await callSetup(stack, { code, installation_id: String(installationA) });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'state' })]),
    );
    // Nor can the callback name the org: the state alone says which.
    const started = await requestLink(stack, orgB.ownerToken, orgB.orgId, installationA);
    const pointed = await callSetup(stack, {
      code,
      state: stateOf(started.body.authorize_url),
      org_id: orgA.orgId,
    });
    expect([pointed.status, pointed.body.error.code]).toEqual([400, 'REQUEST_INVALID']);
    expect(tokenExchanges()).toBe(0);
    await expectAUntouched();
  });

  it('answers malformed callbacks and link requests with 400 naming the field, never a 5xx', async () => {
    const raw = (query: string) => request(`${stack.url}${V1}/github/setup?${query}`);
    const cases: [string, string][] = [
      ['state=a&state=b&code=c', 'state'],
      [`state=${'x'.repeat(201)}&code=c`, 'state'],
      ['state=rg_ghl_x&code=c&installation_id=abc', 'installation_id'],
      ['state=rg_ghl_x&code=c&installation_id=-1', 'installation_id'],
      ['state=rg_ghl_x&code=c&setup_action=delete', 'setup_action'],
      [`state=rg_ghl_x&code=${'c'.repeat(201)}`, 'code'],
    ];
    for (const [query, field] of cases) {
      const answer = await raw(query);
      expect({
        query,
        status: answer.status,
        fields: answer.body.error.details.map((d: { field: string }) => d.field),
      }).toEqual({ query, status: 400, fields: expect.arrayContaining([field]) });
    }
    for (const body of [
      { installation_id: 'A' },
      { installation_id: 0 },
      { installation_id: 1.5 },
      { org_id: orgA.orgId },
    ]) {
      const answer = await api(
        orgB.ownerToken,
        'POST',
        `/orgs/${orgB.orgId}/github/installations/link-requests`,
        body,
      );
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
    }
    await expectAUntouched();
  });

  it('refuses an expired state', async () => {
    const started = await requestLink(stack, orgB.ownerToken, orgB.orgId, installationB);
    expect(Date.parse(started.body.expires_at) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    // Ten minutes pass (moved in the database rather than waited for).
    await stack.harness.orm.em
      .fork()
      .nativeUpdate(
        GithubLinkRequestEntity,
        { id: started.body.id },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    stack.harness.github.reset();
    const redirect = await authorizeOnGithub(started.body.authorize_url, 'mallory-b');
    const answer = await callSetup(stack, Object.fromEntries(redirect.searchParams));
    expect([answer.status, answer.body.error.code]).toEqual([410, 'GITHUB_LINK_STATE_EXPIRED']);
    expect(tokenExchanges()).toBe(0);
    const rows = await stack.harness.orm.em.fork().find(GithubInstallationEntity, { orgId: orgB.orgId });
    expect(rows).toEqual([]);
  });

  it("refuses another org's state: B's state with a tricked A user links nothing of A's", async () => {
    // alice-a (who can access A's installation) is lured to B's authorize URL. B's state can only
    // ever link into B, and A's installation already belongs to A.
    const started = await requestLink(stack, orgB.ownerToken, orgB.orgId, installationA);
    const redirect = await authorizeOnGithub(started.body.authorize_url, 'alice-a');
    const answer = await callSetup(stack, Object.fromEntries(redirect.searchParams));
    expect([answer.status, answer.body.error.code]).toEqual([409, 'GITHUB_INSTALLATION_ALREADY_LINKED']);
    await expectAUntouched();
  });

  it('spends a state on its first callback: a replay is refused, even with a good code', async () => {
    // Refused once (mallory cannot access A's installation)...
    const started = await requestLink(stack, orgB.ownerToken, orgB.orgId, installationA);
    const first = await authorizeOnGithub(started.body.authorize_url, 'mallory-b');
    expect((await callSetup(stack, Object.fromEntries(first.searchParams))).status).toBe(403);
    // ...then replayed with a fresh code of a user who can: the state is already spent.
    const replay = await callSetup(stack, {
      code: stack.harness.github.authorizeUser('alice-a', { redirectUri: SETUP_URL }),
      state: stateOf(started.body.authorize_url),
    });
    expect([replay.status, replay.body.error.code]).toEqual([410, 'GITHUB_LINK_STATE_USED']);
    await expectAUntouched();
  });

  it('refuses when the user who asked may no longer connect repositories in the org', async () => {
    const invitation = await api(orgB.ownerToken, 'POST', `/orgs/${orgB.orgId}/invite`, {
      email: `leaver-${randomUUID().slice(0, 8)}@example.test`,
      role: 'admin',
    });
    const joined = await stack.call(null, 'POST', invitation.body.accept_path);
    const started = await requestLink(stack, joined.body.token, orgB.orgId, installationB);
    expect(started.status).toBe(201);
    expect(
      (await api(orgB.ownerToken, 'DELETE', `/orgs/${orgB.orgId}/members/${joined.body.user.id}`)).status,
    ).toBe(204);
    const redirect = await authorizeOnGithub(started.body.authorize_url, 'mallory-b');
    const answer = await callSetup(stack, Object.fromEntries(redirect.searchParams));
    expect([answer.status, answer.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const rows = await stack.harness.orm.em.fork().find(GithubInstallationEntity, { orgId: orgB.orgId });
    expect(rows).toEqual([]);
  });

  it('positive control: the GitHub user who can access an installation links it, once', async () => {
    // GitHub's install flow: B's admin installs the app on evil-gh; GitHub returns with the
    // installation, setup_action=install, a code and the state of install_url.
    const started = await requestLink(stack, orgB.ownerToken, orgB.orgId);
    expect(started.body.install_url).toBe(
      `${stack.harness.github.url}/apps/${stack.harness.githubApp!.slug}/installations/new?state=${encodeURIComponent(
        stateOf(started.body.install_url),
      )}`,
    );
    const callback = {
      code: stack.harness.github.authorizeUser('mallory-b', { redirectUri: SETUP_URL }),
      installation_id: String(installationB),
      setup_action: 'install',
      state: stateOf(started.body.install_url),
    };
    const linked = await callSetup(stack, callback);
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({
      org_id: orgB.orgId,
      github_login: 'mallory-b',
      installation: { installation_id: String(installationB), account: { login: 'evil-gh' } },
    });
    const row = await stack.harness.orm.em
      .fork()
      .findOneOrFail(GithubInstallationEntity, { installationId: String(installationB) });
    expect(row.orgId).toBe(orgB.orgId);
    const audit = (await auditOf(orgB)).find((r) => r.action === 'github_installation.linked');
    expect(audit?.metadata).toMatchObject({ github_login: 'mallory-b', account: 'evil-gh' });
    // The user's token was revoked after use.
    expect(
      stack.harness.github.requests.some(
        (r) => r.method === 'DELETE' && /^\/applications\/[^/]+\/token$/.test(r.path),
      ),
    ).toBe(true);
    expect(await callSetup(stack, callback)).toMatchObject({
      status: 410,
      body: { error: { code: 'GITHUB_LINK_STATE_USED' } },
    });
    await expectAUntouched();
  });
});
