// Trust boundary: the operator's ssh key (GIT_SSH_KEY_PATH) serves only the orgs the operator
// names (GIT_SSH_KEY_ORGS); every other org reads ssh:// remotes with a deploy key of its own,
// generated and sealed by RepoGuard. The attacker is a tenant admin pointing an ssh:// URL at a
// host the operator's key opens. The git server is a real ssh server (ssh2) running git-upload-pack.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { startSshGitStandIn, type SshGitStandIn } from '../stand-ins/ssh-git-stand-in';
import { readableEd25519Pair, sshFingerprint } from '@repoguard/infrastructure';

const ADVISORY: OsvRecord = {
  id: 'RG-SEC-SSH-0001',
  modified: '2026-12-01T00:00:00Z',
  summary: 'a vulnerable pin read over ssh',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'rg-ssh-demo' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
    },
  ],
};

describe('the instance ssh key is not lent to tenants the operator did not name', () => {
  let stack: ApiStack;
  let ssh: SshGitStandIn;
  let keyDir: string;
  let instanceFingerprint: string;
  let repoUrl: string;
  // Named in GIT_SSH_KEY_ORGS before the API starts, so chosen here.
  const trustedSlug = `trusted-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    ssh = await startSshGitStandIn();
    keyDir = mkdtempSync(path.join(os.tmpdir(), 'repoguard-instance-key-'));
    const instanceKey = readableEd25519Pair('operator');
    writeFileSync(path.join(keyDir, 'id_ed25519'), `${instanceKey.private}\n`, { mode: 0o600 });
    instanceFingerprint = sshFingerprint(instanceKey.public);
    // The operator's key opens the server: borrowing it would work, which is the attack.
    ssh.authorize(instanceKey.public);

    stack = await startApiStack({
      name: 'ssh-keys',
      advisories: [ADVISORY],
      encryptionKey: randomBytes(32).toString('base64'),
      sshKey: { path: path.join(keyDir, 'id_ed25519'), orgs: [trustedSlug] },
      // Host keys tenants' remotes show are kept beside the clones: a cache of this test's own.
      env: { GIT_CACHE_DIR: path.join(keyDir, 'api-cache') },
    });
    const repo = await stack.harness.github.createRepo('ssh-host', `app-${randomBytes(3).toString('hex')}`);
    await repo.commit({ 'requirements.txt': 'rg-ssh-demo==1.0.0\n' });
    repoUrl = ssh.serve('app', repo.path);
  });
  afterAll(async () => {
    await stack?.close();
    await ssh?.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const v1 = (token: string, method: string, p: string, body?: unknown) =>
    stack.call(token, method, `/api/v1${p}`, body);

  async function scanToEnd(token: string, repoId: string) {
    const queued = await v1(token, 'POST', `/repos/${repoId}/scan`, {});
    expect(queued.status).toBe(202);
    let scan = (await v1(token, 'GET', `/scans/${queued.body.scan_id}`)).body;
    for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await v1(token, 'GET', `/scans/${queued.body.scan_id}`)).body;
    }
    return scan;
  }

  it('refuses a tenant the operator did not name before anything connects', async () => {
    const tenant = await stack.createOrg('tenant');
    const before = ssh.connections();
    for (const body of [
      { git_url: repoUrl },
      // The login path checks the URL with its own git client: refused the same way.
      { git_url: repoUrl, git_credentials: { username: 'git', password: 'not-a-key-0001' } },
    ]) {
      const refused = await v1(tenant.ownerToken, 'POST', `/orgs/${tenant.orgId}/repos`, body);
      expect([refused.status, refused.body.error.code]).toEqual([422, 'SSH_DEPLOY_KEY_REQUIRED']);
      expect(refused.body.error.details).toEqual([{ field: 'git_url', problem: expect.any(String) }]);
      expect(refused.body.error.message).toContain('/ssh-keys');
    }
    expect(ssh.connections()).toBe(before);
    expect((await v1(tenant.ownerToken, 'GET', `/orgs/${tenant.orgId}/repos`)).body.total).toBe(0);
  });

  it('serves the org the operator named with the instance key (positive control)', async () => {
    const created = await stack.call(stack.adminToken, 'POST', '/api/v1/orgs', {
      name: 'Trusted',
      slug: trustedSlug,
      owner_email: `owner-${trustedSlug}@example.test`,
    });
    expect(created.status).toBe(201);
    const { token, org } = created.body;
    const before = ssh.connections();
    const offers = ssh.offers.length;

    const connected = await v1(token, 'POST', `/orgs/${org.id}/repos`, { git_url: repoUrl });

    expect(connected.status).toBe(201);
    expect(ssh.connections()).toBeGreaterThan(before);
    expect(new Set(ssh.offers.slice(offers).map((o) => o.fingerprint))).toEqual(
      new Set([instanceFingerprint]),
    );
    expect(await scanToEnd(token, connected.body.id)).toMatchObject({ status: 'COMPLETED' });
  });

  it("reads a tenant's ssh remote with its own deploy key, never the instance key", async () => {
    const tenant = await stack.createOrg('deploy');
    const api = (method: string, p: string, body?: unknown) => v1(tenant.ownerToken, method, p, body);
    expect((await api('GET', `/orgs/${tenant.orgId}/ssh-keys`)).status).toBe(404);

    const made = await api('POST', `/orgs/${tenant.orgId}/ssh-keys`);
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      public_key: expect.stringMatching(/^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ repoguard-deploy-[0-9a-f]{8}$/),
      fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/),
      created_at: expect.any(String),
    });
    expect(made.body.fingerprint).toBe(sshFingerprint(made.body.public_key));
    expect((await api('GET', `/orgs/${tenant.orgId}/ssh-keys`)).body).toEqual(made.body);
    // Sealed at rest; the private key is never answered.
    const rows = await stack.harness.orm.em
      .getKnex()('stored_secrets')
      .where({ org_id: tenant.orgId, kind: 'ssh_deploy_key' });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toMatch(/PRIVATE KEY|ssh-ed25519/);
    expect(JSON.stringify(made.body)).not.toContain('PRIVATE');

    ssh.authorize(made.body.public_key);
    const offers = ssh.offers.length;
    const connected = await api('POST', `/orgs/${tenant.orgId}/repos`, { git_url: repoUrl });
    expect(connected.status).toBe(201);
    const scan = await scanToEnd(tenant.ownerToken, connected.body.id);
    expect(scan).toMatchObject({ status: 'COMPLETED', counts: { manifests: 1 } });
    const findings = (await api('GET', `/repos/${connected.body.id}/findings`)).body.items;
    expect(findings).toEqual([
      expect.objectContaining({ vulnerability: expect.objectContaining({ id: ADVISORY.id }) }),
    ]);
    // Connect (API) and scan (worker) offered the org's key, and only it.
    const offered = ssh.offers.slice(offers);
    expect(offered.length).toBeGreaterThan(0);
    expect(new Set(offered.map((o) => o.fingerprint))).toEqual(new Set([made.body.fingerprint]));

    // Rotation replaces the key; removal stops the org's ssh scans before they connect.
    const rotated = await api('POST', `/orgs/${tenant.orgId}/ssh-keys`);
    expect(rotated.status).toBe(201);
    expect(rotated.body.fingerprint).not.toBe(made.body.fingerprint);
    expect((await api('DELETE', `/orgs/${tenant.orgId}/ssh-keys`)).status).toBe(204);
    expect((await api('GET', `/orgs/${tenant.orgId}/ssh-keys`)).body.error.code).toBe(
      'SSH_DEPLOY_KEY_NOT_FOUND',
    );
    const before = ssh.connections();
    expect(await scanToEnd(tenant.ownerToken, connected.body.id)).toMatchObject({
      status: 'FAILED',
      error: { code: 'SSH_DEPLOY_KEY_REQUIRED' },
    });
    expect(ssh.connections()).toBe(before);
    // The earlier findings are untouched by the refused scan.
    expect((await api('GET', `/repos/${connected.body.id}/findings`)).body.items).toEqual(findings);

    const actions = await stack.harness.orm.em
      .getKnex()('audit_logs')
      .where({ org_id: tenant.orgId })
      .where('action', 'like', 'ssh_deploy_key.%')
      .orderBy('created_at')
      .select('action', 'metadata');
    expect(actions.map((a) => a.action)).toEqual([
      'ssh_deploy_key.created',
      'ssh_deploy_key.rotated',
      'ssh_deploy_key.removed',
    ]);
    expect(actions[0].metadata).toEqual({ fingerprint: made.body.fingerprint });
    expect(actions[1].metadata).toEqual({
      fingerprint: rotated.body.fingerprint,
      replaced_fingerprint: made.body.fingerprint,
    });
  });

  it('lets viewers read the public key, not make one; another org sees nothing of it', async () => {
    const org = await stack.createOrg('viewers');
    const other = await stack.createOrg('other');
    const invite = await v1(org.ownerToken, 'POST', `/orgs/${org.orgId}/invite`, {
      email: `v-${org.slug}@example.test`,
      role: 'viewer',
    });
    const viewer = (await stack.call(null, 'POST', invite.body.accept_path)).body.token;
    expect((await v1(viewer, 'POST', `/orgs/${org.orgId}/ssh-keys`)).status).toBe(403);
    const made = await v1(org.ownerToken, 'POST', `/orgs/${org.orgId}/ssh-keys`);
    expect(made.status).toBe(201);
    expect((await v1(viewer, 'GET', `/orgs/${org.orgId}/ssh-keys`)).body).toEqual(made.body);
    expect((await v1(viewer, 'DELETE', `/orgs/${org.orgId}/ssh-keys`)).status).toBe(403);
    for (const method of ['GET', 'POST', 'DELETE']) {
      expect((await v1(other.ownerToken, method, `/orgs/${org.orgId}/ssh-keys`)).status).toBe(404);
    }
    expect((await v1(org.ownerToken, 'GET', `/orgs/${org.orgId}/ssh-keys`)).body).toEqual(made.body);
  });
});
