// The REST API's main path over HTTP on the real stack: bootstrap, invitations, an API key, a
// repository, a scan through Temporal, findings and their filters, triage, policy, evaluation and
// the audit log that must show every change.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SCAN_STEP_NAMES } from '@repoguard/domain';
import { readOsvExport } from '@repoguard/infrastructure';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { sharedOsvExport } from '../support/shared-osv';

const REQUIREMENTS = readFileSync(
  path.resolve(__dirname, '../fixtures/manifests/ugly/requirements.txt'),
  'utf8',
);
const ADVISORIES = readOsvExport(sharedOsvExport('PyPI-ghsa.zip')).records;
const RANK: Record<string, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, UNKNOWN: 0 };

interface FindingItem {
  id: string;
  status: string;
  severity: string;
  vulnerability: { id: string; aliases: string[]; summary: string | null };
  dependency: {
    ecosystem: string;
    name: string;
    version: string;
    purl: string;
    manifest_path: string;
    direct: boolean;
  };
}

describe('the REST API on the real stack', () => {
  let stack: ApiStack;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;
  let viewerToken: string;
  let adminToken: string;
  let adminId: string;
  let apiKey: string;
  let apiKeyId: string;
  let repoId: string;
  let scanId: string;
  let all: FindingItem[];

  const api = (token: string | null, method: string, p: string, body?: unknown) =>
    stack.call(token, method, `/api/v1${p}`, body);

  beforeAll(async () => {
    stack = await startApiStack({ name: 'api-flow', advisories: ADVISORIES });
    const repo = await stack.harness.github.createRepo('acme', 'legacy-web');
    await repo.commit({ 'requirements.txt': REQUIREMENTS, 'README.md': '# legacy\n' });
  });
  afterAll(async () => stack?.close());

  it('bootstraps an org with the instance admin token; nobody else may', async () => {
    org = await stack.createOrg('Acme');
    const me = await api(org.ownerToken, 'GET', '/orgs/me');
    expect(me.status).toBe(200);
    expect(me.body.items).toEqual([
      expect.objectContaining({ id: org.orgId, slug: org.slug, role: 'owner' }),
    ]);

    const refused = await api(org.ownerToken, 'POST', '/orgs', {
      name: 'x',
      slug: 'x-nope',
      owner_email: 'x@example.test',
    });
    expect(refused.status).toBe(403);
    const taken = await api(stack.adminToken, 'POST', '/orgs', {
      name: 'again',
      slug: org.slug,
      owner_email: 'y@example.test',
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('ORG_SLUG_TAKEN');
  });

  it('invites a viewer and an admin; each accepts once and gets a personal token', async () => {
    const invite = async (email: string, role: string) => {
      const sent = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/invite`, { email, role });
      expect(sent.status).toBe(201);
      expect(sent.body.token).toMatch(/^rg_inv_/);
      const accepted = await api(null, 'POST', `/invites/${sent.body.token}/accept`);
      expect(accepted.status).toBe(201);
      expect(accepted.body).toMatchObject({ org: { id: org.orgId }, role, user: { email } });
      expect(accepted.body.token).toMatch(/^rg_pat_/);
      const again = await api(null, 'POST', `/invites/${sent.body.token}/accept`);
      expect([again.status, again.body.error.code]).toEqual([410, 'INVITATION_USED']);
      return accepted.body;
    };
    // Emails of this run's org: an email that already has a user can no longer be accepted anonymously.
    const viewerEmail = `viewer-${org.slug}@example.test`;
    const adminEmail = `admin-${org.slug}@example.test`;
    viewerToken = (await invite(viewerEmail, 'viewer')).token;
    const admin = await invite(adminEmail, 'admin');
    adminToken = admin.token;
    adminId = admin.user.id;

    const members = await api(viewerToken, 'GET', `/orgs/${org.orgId}/members`);
    expect(
      members.body.items.map((m: { email: string; role: string }) => `${m.email}:${m.role}`).sort(),
    ).toEqual([`${adminEmail}:admin`, `owner-${org.slug}@example.test:owner`, `${viewerEmail}:viewer`]);
    // An admin may invite admins and viewers, never owners.
    const owner = await api(adminToken, 'POST', `/orgs/${org.orgId}/invite`, {
      email: 'boss@example.test',
      role: 'owner',
    });
    expect(owner.status).toBe(403);
  });

  it('creates an API key shown once, listed without its secret', async () => {
    const created = await api(adminToken, 'POST', '/auth/api-keys', {
      org_id: org.orgId,
      name: 'ci',
      role: 'admin',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci', role: 'admin', org_id: org.orgId });
    expect(created.body.key).toMatch(/^rg_key_/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    apiKey = created.body.key;
    apiKeyId = created.body.id;
    const listed = await api(org.ownerToken, 'GET', `/auth/api-keys?org_id=${org.orgId}`);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: apiKeyId, prefix: created.body.prefix }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(apiKey);
  });

  it('refuses an expired invitation (410) and an expired API key (401)', async () => {
    const knex = stack.harness.orm.em.getKnex();
    const sent = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/invite`, {
      email: 'late@example.test',
      role: 'viewer',
    });
    await knex('invitations')
      .where({ id: sent.body.id })
      .update({ expires_at: new Date(Date.now() - 1_000) });
    const late = await api(null, 'POST', `/invites/${sent.body.token}/accept`);
    expect([late.status, late.body.error.code]).toEqual([410, 'INVITATION_EXPIRED']);

    const past = await api(org.ownerToken, 'POST', '/auth/api-keys', {
      org_id: org.orgId,
      name: 'old',
      role: 'viewer',
      expires_at: '2020-01-01T00:00:00Z',
    });
    expect([past.status, past.body.error.details]).toEqual([
      422,
      [{ field: 'expires_at', problem: 'must be in the future' }],
    ]);
    // Expires on its own, not by editing the row: the API has the key cached once it answered 200
    // (CredentialCache), and a cached key must still stop working at its expiry.
    const expiresAt = Date.now() + 2_000;
    const key = await api(org.ownerToken, 'POST', '/auth/api-keys', {
      org_id: org.orgId,
      name: 'short-lived',
      role: 'viewer',
      expires_at: new Date(expiresAt).toISOString(),
    });
    expect((await api(key.body.key, 'GET', '/orgs/me')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 50));
    expect((await api(key.body.key, 'GET', '/orgs/me')).status).toBe(401);
  });

  it('connects a repository that exists on GitHub, once', async () => {
    const connected = await api(apiKey, 'POST', `/orgs/${org.orgId}/repos`, {
      repo: 'https://github.com/acme/legacy-web',
    });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({
      provider: 'github',
      owner: 'acme',
      name: 'legacy-web',
      full_name: 'acme/legacy-web',
      default_branch: 'main',
      status: 'PENDING',
    });
    repoId = connected.body.id;
    const twice = await api(apiKey, 'POST', `/orgs/${org.orgId}/repos`, { repo: 'acme/legacy-web' });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'REPO_ALREADY_CONNECTED']);
    const missing = await api(apiKey, 'POST', `/orgs/${org.orgId}/repos`, { repo: 'acme/no-such-repo' });
    expect([missing.status, missing.body.error.code]).toEqual([422, 'REPO_NOT_FOUND']);
    const listed = await api(viewerToken, 'GET', `/orgs/${org.orgId}/repos?status=pending`);
    expect(listed.body).toMatchObject({ total: 1, items: [{ id: repoId }] });
  });

  it('triggers a scan (202) and polls it to COMPLETED, with a link to its run in the Temporal Web UI', async () => {
    const requested = await api(apiKey, 'POST', `/repos/${repoId}/scan`, {});
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({
      workflow_id: `repo-scan:${repoId}`,
      status: 'QUEUED',
      deduplicated: false,
    });
    scanId = requested.body.scan_id;
    // A second request while the first waits out its quiet window joins the same scan.
    const joined = await api(adminToken, 'POST', `/repos/${repoId}/scan`, {});
    expect(joined.body).toMatchObject({ scan_id: scanId, deduplicated: true });

    let scan = (await api(viewerToken, 'GET', `/scans/${scanId}`)).body;
    for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await api(viewerToken, 'GET', `/scans/${scanId}`)).body;
    }
    expect(scan).toMatchObject({ id: scanId, repo_id: repoId, status: 'COMPLETED', error: null });
    expect(scan.commit_sha).toMatch(/^[0-9a-f]{40}$/);
    // One name per step: the metrics' phase label and the worker's step log lines use the same.
    expect(Object.keys(scan.phase_timings_ms).sort()).toEqual([...SCAN_STEP_NAMES].sort());
    expect(Object.keys(scan.counts).sort()).toEqual([
      'blobs_downloaded',
      'dependencies',
      'fetched',
      'findings',
      'fixed_findings',
      'manifests',
      'queried',
      'vulnerabilities',
    ]);
    expect(scan.temporal_ui_url).toBe(
      `http://127.0.0.1:8233/namespaces/repoguard/workflows/${encodeURIComponent(`repo-scan:${repoId}`)}/${scan.run_id}/history`,
    );
    const history = await api(viewerToken, 'GET', `/repos/${repoId}/scans`);
    expect(history.body.items.map((s: { id: string }) => s.id)).toEqual([scanId]);
    const repo = await api(viewerToken, 'GET', `/orgs/${org.orgId}/repos/${repoId}`);
    expect(repo.body.status).toBe('FAIL'); // the default policy fails on HIGH and above

    const snapshot = await api(
      viewerToken,
      'GET',
      `/repos/${repoId}/snapshots/${scan.snapshot_id}?per_page=3`,
    );
    expect(snapshot.status).toBe(200);
    expect(snapshot.body).toMatchObject({
      commit_sha: scan.commit_sha,
      manifests: [{ path: 'requirements.txt' }],
    });
    expect(snapshot.body.dependencies).toMatchObject({
      page: 1,
      per_page: 3,
      total: scan.counts.dependencies,
    });
  });

  it('lists findings with each filter: the same answers as filtering the whole list', async () => {
    const whole = await api(viewerToken, 'GET', `/repos/${repoId}/findings?per_page=100`);
    expect(whole.status).toBe(200);
    all = whole.body.items;
    expect(all.length).toBeGreaterThan(5);
    expect(whole.body.total).toBe(all.length);
    const django = all.find((f) => f.dependency.name.toLowerCase() === 'django')!;
    expect(django).toMatchObject({
      status: 'open',
      dependency: {
        ecosystem: 'PyPI',
        version: '3.2.0',
        purl: expect.stringMatching(/^pkg:pypi\/django@3\.2\.0$/),
        manifest_path: 'requirements.txt',
        direct: true,
      },
    });
    expect(django.vulnerability.id).toMatch(/^GHSA-/);

    const ids = async (query: string) => {
      const { status, body } = await api(
        viewerToken,
        'GET',
        `/repos/${repoId}/findings?per_page=100&${query}`,
      );
      expect(status).toBe(200);
      return body.items.map((f: FindingItem) => f.id).sort();
    };
    const expected = (keep: (f: FindingItem) => boolean) =>
      all
        .filter(keep)
        .map((f) => f.id)
        .sort();
    const high = expected((f) => RANK[f.severity]! >= RANK['HIGH']!);
    expect(high.length).toBeGreaterThan(0);
    expect(high.length).toBeLessThan(all.length);
    expect(await ids('severity=high')).toEqual(high);
    expect(await ids('severity=CRITICAL')).toEqual(expected((f) => f.severity === 'CRITICAL'));
    expect(await ids('status=open')).toEqual(expected((f) => f.status === 'open'));
    expect(await ids('ecosystem=PyPI')).toEqual(expected(() => true));
    expect(await ids('ecosystem=npm')).toEqual([]);
    expect(await ids(`package=${django.dependency.name}`)).toEqual(
      expected((f) => f.dependency.name === django.dependency.name),
    );

    const pageTwo = await api(viewerToken, 'GET', `/repos/${repoId}/findings?per_page=2&page=2`);
    expect(pageTwo.body).toMatchObject({ page: 2, per_page: 2, total: all.length });
    expect(pageTwo.body.items.map((f: FindingItem) => f.id)).toEqual(all.slice(2, 4).map((f) => f.id));
  });

  it('ignores a finding (audited); a viewer may not', async () => {
    const target = all[0]!;
    const denied = await api(viewerToken, 'PATCH', `/findings/${target.id}`, {
      status: 'ignored',
      reason: 'not reachable',
    });
    expect(denied.status).toBe(403);
    const ignored = await api(adminToken, 'PATCH', `/findings/${target.id}`, {
      status: 'ignored',
      reason: 'only used in tests',
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(ignored.status).toBe(200);
    expect(ignored.body).toMatchObject({
      id: target.id,
      status: 'ignored',
      triage: { reason: 'only used in tests' },
    });
    const listed = await api(viewerToken, 'GET', `/repos/${repoId}/findings?status=ignored`);
    expect(listed.body.items.map((f: FindingItem) => f.id)).toEqual([target.id]);
  });

  it('changes the policy to a new version, refuses invalid rules by name, and evaluates live', async () => {
    const invalid = await api(adminToken, 'PUT', `/orgs/${org.orgId}/policies`, {
      rules: { schema_version: 1, fail_on_severity: 'SEVERE' },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details).toEqual([
      expect.objectContaining({ field: 'rules.fail_on_severity' }),
    ]);

    const before = await api(viewerToken, 'GET', `/orgs/${org.orgId}/policies/evaluation?repo_id=${repoId}`);
    expect(before.body).toMatchObject({
      status: 'FAIL',
      policy_version: null,
      snapshot_id: expect.any(String),
    });

    // Nothing fails any more: only warnings, from LOW up.
    const rules = { schema_version: 1, warn_on_severity: 'LOW' };
    const dryRun = await api(
      viewerToken,
      'GET',
      `/orgs/${org.orgId}/policies/evaluation?repo_id=${repoId}&rules=${encodeURIComponent(JSON.stringify(rules))}`,
    );
    expect(dryRun.body).toMatchObject({ status: 'WARN', dry_run: true, policy_version: null });

    const saved = await api(adminToken, 'PUT', `/orgs/${org.orgId}/policies`, { rules });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, rules });
    const policies = await api(viewerToken, 'GET', `/orgs/${org.orgId}/policies`);
    expect(policies.body.current).toMatchObject({ version: 1, rules, default: false });

    const after = await api(viewerToken, 'GET', `/orgs/${org.orgId}/policies/evaluation?repo_id=${repoId}`);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      status: 'WARN',
      policy_version: 1,
      snapshot_id: before.body.snapshot_id,
    });
    expect(after.body.reasons).toEqual([expect.objectContaining({ rule: 'warn_on_severity' })]);
  });

  it('changes a role; the last owner can be neither demoted nor removed', async () => {
    const changed = await api(org.ownerToken, 'PATCH', `/orgs/${org.orgId}/members/${adminId}`, {
      role: 'viewer',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ user_id: adminId, role: 'viewer' });
    const demoteSelf = await api(org.ownerToken, 'PATCH', `/orgs/${org.orgId}/members/${org.ownerId}`, {
      role: 'admin',
    });
    expect([demoteSelf.status, demoteSelf.body.error.code]).toEqual([409, 'LAST_OWNER']);
    const removeSelf = await api(org.ownerToken, 'DELETE', `/orgs/${org.orgId}/members/${org.ownerId}`);
    expect([removeSelf.status, removeSelf.body.error.code]).toEqual([409, 'LAST_OWNER']);
    // The demoted admin's token now acts as a viewer, at once.
    const nowViewer = await api(adminToken, 'PUT', `/orgs/${org.orgId}/policies`, {
      rules: { schema_version: 1 },
    });
    expect(nowViewer.status).toBe(403);
  });

  it('revokes the API key at once', async () => {
    const revoked = await api(org.ownerToken, 'DELETE', `/auth/api-keys/${apiKeyId}`);
    expect(revoked.status).toBe(204);
    const refused = await api(apiKey, 'GET', `/orgs/${org.orgId}/repos`);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'TOKEN_INVALID']);
  });

  it("carries the caller's X-Request-Id into the audit row of the change", async () => {
    const changed = await stack.call(
      org.ownerToken,
      'PATCH',
      `/api/v1/orgs/${org.orgId}`,
      // At most the instance's RATE_LIMIT_PER_MINUTE (600 by default): an org may only lower it.
      { rate_limit_per_minute: 500 },
      { 'x-request-id': 'flow-req-42' },
    );
    expect(changed.status).toBe(200);
    expect(changed.headers.get('x-request-id')).toBe('flow-req-42');
    const rows = await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/audit-logs?action=org.updated`);
    expect(rows.body.items[0]).toMatchObject({
      correlation_id: 'flow-req-42',
      metadata: { rate_limit_per_minute: 500 },
    });
  });

  it('disconnects a repository keeping its findings, or purging them with ?purge=true', async () => {
    const stored = async (id: string) =>
      Number(
        (await stack.harness.orm.em.getKnex()('findings').where({ repo_id: id }).count({ n: '*' }))[0]!.n,
      );
    const before = await stored(repoId);
    expect(before).toBe(all.length);
    expect((await api(org.ownerToken, 'DELETE', `/orgs/${org.orgId}/repos/${repoId}`)).status).toBe(204);
    expect((await api(viewerToken, 'GET', `/orgs/${org.orgId}/repos/${repoId}`)).status).toBe(404);
    expect(await stored(repoId)).toBe(before); // kept for the audit trail, and still readable
    const kept = await api(viewerToken, 'GET', `/repos/${repoId}/findings?status=all&per_page=100`);
    expect([kept.status, kept.body.total]).toEqual([200, before]);

    // Connected again it is a new repository; scanned and disconnected with purge, nothing stays.
    const again = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, { repo: 'acme/legacy-web' });
    expect(again.status).toBe(201);
    const scan = await api(org.ownerToken, 'POST', `/repos/${again.body.id}/scan`, {});
    let status = '';
    for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await api(org.ownerToken, 'GET', `/scans/${scan.body.scan_id}`)).body.status;
    }
    expect(status).toBe('COMPLETED');
    expect(await stored(again.body.id)).toBeGreaterThan(0);
    // Read once before the purge: the API now holds the repository's org for a moment.
    const listed = await api(viewerToken, 'GET', `/repos/${again.body.id}/findings?status=all`);
    expect(listed.status).toBe(200);
    const purged = await api(
      org.ownerToken,
      'DELETE',
      `/orgs/${org.orgId}/repos/${again.body.id}?purge=true`,
    );
    expect(purged.status).toBe(204);
    expect(await stored(again.body.id)).toBe(0);
    const scans = await stack.harness.orm.em
      .getKnex()('scans')
      .where({ repo_id: again.body.id })
      .count({ n: '*' });
    expect(Number(scans[0]!.n)).toBe(0);
    // Purged is gone at once, the org held or not.
    const gone = await api(viewerToken, 'GET', `/repos/${again.body.id}/findings?status=all`);
    expect([gone.status, gone.body.error?.code]).toEqual([404, 'REPO_NOT_FOUND']);
  });

  it('records every change in the audit log, with actor, target and correlation id; viewers may not read it', async () => {
    expect((await api(viewerToken, 'GET', `/orgs/${org.orgId}/audit-logs`)).status).toBe(403);
    const rows: {
      action: string;
      actor_type: string;
      actor_id: string;
      target_id: string;
      correlation_id: string;
    }[] = [];
    let cursor: string | null = null;
    do {
      const pageOf: { status: number; body: { items: typeof rows; next_cursor: string | null } } = await api(
        org.ownerToken,
        'GET',
        `/orgs/${org.orgId}/audit-logs?per_page=5${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(pageOf.status).toBe(200);
      rows.push(...pageOf.body.items);
      cursor = pageOf.body.next_cursor;
    } while (cursor);
    const actions = rows.map((r) => r.action);
    for (const action of [
      'org.created',
      'member.invited',
      'member.joined',
      'api_key.created',
      'repo.connected',
      'scan.requested',
      'finding.ignored',
      'policy.updated',
      'member.role_changed',
      'api_key.revoked',
      'org.updated',
      'repo.disconnected',
    ]) {
      expect(actions).toContain(action);
    }
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(rows.length); // no row twice across pages
    expect(rows.find((r) => r.action === 'repo.connected' && r.target_id === repoId)).toMatchObject({
      actor_type: 'api_key',
      actor_id: apiKeyId,
      target_id: repoId,
    });
    expect(rows.find((r) => r.action === 'policy.updated')).toMatchObject({
      actor_type: 'user',
      actor_id: adminId,
    });
    expect(rows.every((r) => typeof r.correlation_id === 'string' && r.correlation_id.length > 0)).toBe(true);

    const filtered = await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/audit-logs?action=scan.requested`);
    expect(filtered.body.items.map((r: { action: string }) => r.action)).toEqual([
      'scan.requested',
      'scan.requested',
      'scan.requested', // the scan of the reconnected repository
    ]);
    const byActor = await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/audit-logs?actor_id=${apiKeyId}`);
    expect(new Set(byActor.body.items.map((r: { actor_id: string }) => r.actor_id))).toEqual(
      new Set([apiKeyId]),
    );
  });

  it('keeps the audit log append-only in the database itself', async () => {
    const knex = stack.harness.orm.em.getKnex();
    await expect(
      knex('audit_logs').where({ org_id: org.orgId }).update({ action: 'tampered' }),
    ).rejects.toThrow(/append-only/);
    await expect(knex('audit_logs').where({ org_id: org.orgId }).delete()).rejects.toThrow(/append-only/);
  });
});
