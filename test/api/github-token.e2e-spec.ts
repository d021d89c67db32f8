// An org's own GitHub token: stored sealed, never answered back, and used (by the API to connect,
// by the worker to scan) for that org's private repositories only.
import { randomBytes } from 'node:crypto';
import { startApiStack, type ApiStack } from '../support/api-stack';

const PRIVATE_TOKEN = `ghp_${randomBytes(18).toString('hex')}`;

describe('an org GitHub token for private repositories', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack({ name: 'github-token', encryptionKey: randomBytes(32).toString('base64') });
    const repo = await stack.harness.github.createRepo('secret-corp', 'vault', {
      privateToken: PRIVATE_TOKEN,
    });
    await repo.commit({ 'requirements.txt': 'requests==2.19.0\n' }, 'initial');
  });
  afterAll(async () => stack?.close());

  it('connects and scans a private repository with the org token; other orgs and a removed token cannot', async () => {
    const org = await stack.createOrg('vault-owner');
    const other = await stack.createOrg('other');
    const api = (token: string, method: string, path: string, body?: unknown) =>
      stack.call(token, method, `/api/v1${path}`, body);

    const hidden = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, {
      repo: 'secret-corp/vault',
    });
    expect([hidden.status, hidden.body.error.code]).toEqual([422, 'REPO_NOT_FOUND']);

    const set = await api(org.ownerToken, 'PUT', `/orgs/${org.orgId}/github/token`, { token: PRIVATE_TOKEN });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ configured: true, updated_at: expect.any(String) });
    expect(JSON.stringify(set.body)).not.toContain(PRIVATE_TOKEN);
    const stored = await stack.harness.orm.em.getKnex()('stored_secrets').where({ org_id: org.orgId });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(PRIVATE_TOKEN);

    const connected = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, {
      repo: 'secret-corp/vault',
    });
    expect(connected.status).toBe(201);
    // Another org's request still does not see it: the token is the first org's only.
    const elsewhere = await api(other.ownerToken, 'POST', `/orgs/${other.orgId}/repos`, {
      repo: 'secret-corp/vault',
    });
    expect(elsewhere.status).toBe(422);

    const scan = async () => {
      const queued = await api(org.ownerToken, 'POST', `/repos/${connected.body.id}/scan`, {});
      expect(queued.status).toBe(202);
      let body = (await api(org.ownerToken, 'GET', `/scans/${queued.body.scan_id}`)).body;
      for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(body.status); i++) {
        await new Promise((r) => setTimeout(r, 250));
        body = (await api(org.ownerToken, 'GET', `/scans/${queued.body.scan_id}`)).body;
      }
      return body;
    };
    expect(await scan()).toMatchObject({ status: 'COMPLETED', counts: { manifests: 1 } });

    expect((await api(org.ownerToken, 'DELETE', `/orgs/${org.orgId}/github/token`)).status).toBe(204);
    expect((await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/github/token`)).body).toEqual({
      configured: false,
      updated_at: null,
    });
    // Without the token the worker reads the repository as anybody: GitHub hides it.
    expect(await scan()).toMatchObject({ status: 'FAILED', error: { code: 'REPO_NOT_FOUND' } });

    const actions = await stack.harness.orm.em
      .getKnex()('audit_logs')
      .where({ org_id: org.orgId })
      .whereIn('action', ['github_token.set', 'github_token.removed'])
      .orderBy('created_at')
      .pluck('action');
    expect(actions).toEqual(['github_token.set', 'github_token.removed']);
  });

  it('lets viewers see whether a token is set, not set one', async () => {
    const org = await stack.createOrg('viewers');
    const invite = await stack.call(org.ownerToken, 'POST', `/api/v1/orgs/${org.orgId}/invite`, {
      email: `v-${org.slug}@example.test`,
      role: 'viewer',
    });
    const viewer = (await stack.call(null, 'POST', invite.body.accept_path)).body.token;
    expect((await stack.call(viewer, 'GET', `/api/v1/orgs/${org.orgId}/github/token`)).status).toBe(200);
    expect(
      (await stack.call(viewer, 'PUT', `/api/v1/orgs/${org.orgId}/github/token`, { token: PRIVATE_TOKEN }))
        .status,
    ).toBe(403);
  });
});
