// Trust boundary: the operator's GITHUB_TOKEN is not lent to tenants. It reads public repositories
// only, checked with GitHub at connect and at every scan; a private repository needs the org's own
// token or a GitHub App installation. The attacker is a tenant admin naming a private repository
// that the operator's token happens to see.
import { randomBytes } from 'node:crypto';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';

const INSTANCE_TOKEN = `ghp_instance_${randomBytes(16).toString('hex')}`;
const ORG_TOKEN = `ghp_org_${randomBytes(16).toString('hex')}`;
const ADVISORY: OsvRecord = {
  id: 'RG-SEC-TOKEN-0001',
  modified: '2026-12-01T00:00:00Z',
  summary: 'a vulnerable pin in a repository that later turns private',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'rg-instance-token-demo' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
    },
  ],
};
// Only the repository's metadata may be asked for once the token is refused: never its contents.
const CONTENT = /\/(?:commits|git)\//;

describe('the instance GitHub token reads public repositories only', () => {
  let stack: ApiStack;
  let orgId: string;
  let token: string;
  const owner = `operator-${randomBytes(4).toString('hex')}`;
  const api = (method: string, path: string, body?: unknown) =>
    stack.call(token, method, `/api/v1${path}`, body);

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'instance-token',
      advisories: [ADVISORY],
      githubToken: INSTANCE_TOKEN,
      encryptionKey: randomBytes(32).toString('base64'),
    });
    ({ orgId, ownerToken: token } = await stack.createOrg('tenant'));
  });
  afterAll(async () => stack?.close());

  const requestsSince = (mark: number) => stack.harness.github.requests.slice(mark);

  async function scanToEnd(repoId: string) {
    const queued = await api('POST', `/repos/${repoId}/scan`, {});
    expect(queued.status).toBe(202);
    let scan = (await api('GET', `/scans/${queued.body.scan_id}`)).body;
    for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await api('GET', `/scans/${queued.body.scan_id}`)).body;
    }
    return scan;
  }

  it("refuses to connect a private repository that only the operator's token can read, and reads none of it", async () => {
    const repo = await stack.harness.github.createRepo(owner, 'secret', { privateToken: INSTANCE_TOKEN });
    await repo.commit({ 'requirements.txt': 'rg-instance-token-demo==1.0.0\n' });
    const mark = stack.harness.github.requests.length;

    const refused = await api('POST', `/orgs/${orgId}/repos`, { repo: `${owner}/secret` });

    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'GITHUB_ORG_CREDENTIALS_REQUIRED',
      details: [{ field: 'repo', problem: expect.stringContaining('GitHub App installation') }],
    });
    expect(refused.body.error.message).toContain('/github/token');
    // GitHub was asked what the repository is, with the instance token; nothing of its contents.
    expect(requestsSince(mark).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /repos/${owner}/secret`]);
    expect((await api('GET', `/orgs/${orgId}/repos`)).body.total).toBe(0);
    const audited = await stack.harness.orm.em
      .getKnex()('audit_logs')
      .where({ org_id: orgId, action: 'repo.connected' })
      .count<{ count: string }[]>({ count: '*' });
    expect(Number(audited[0]!.count)).toBe(0);
  });

  it('stops reading a repository that turned private with the instance token, says why, and keeps its findings', async () => {
    const repo = await stack.harness.github.createRepo(owner, 'turned');
    const sha = await repo.commit({ 'requirements.txt': 'rg-instance-token-demo==1.0.0\n' });
    const connected = await api('POST', `/orgs/${orgId}/repos`, { repo: `${owner}/turned` });
    expect(connected.status).toBe(201);
    const repoId: string = connected.body.id;
    // Positive control: while public, the instance token reads it.
    expect(await scanToEnd(repoId)).toMatchObject({ status: 'COMPLETED', commit_sha: sha });
    const findingsBefore = (await api('GET', `/repos/${repoId}/findings`)).body;
    expect(findingsBefore.items).toEqual([
      expect.objectContaining({ vulnerability: expect.objectContaining({ id: ADVISORY.id }) }),
    ]);
    const repoBefore = (await api('GET', `/orgs/${orgId}/repos/${repoId}`)).body;
    const rowsBefore = await stack.harness.orm.em
      .getKnex()('findings')
      .where({ repo_id: repoId })
      .orderBy('id');

    // The owner makes it private; the operator's token can still see it, as on GitHub.
    stack.harness.github.setVisibility(owner, 'turned', 'private', [INSTANCE_TOKEN]);
    await repo.commit({ 'requirements.txt': 'rg-instance-token-demo==1.0.0\nprivate-only==9.9.9\n' });
    const mark = stack.harness.github.requests.length;

    const refused = await scanToEnd(repoId);

    expect(refused).toMatchObject({
      status: 'FAILED',
      error: { code: 'GITHUB_ORG_CREDENTIALS_REQUIRED', message: expect.stringContaining('not public') },
    });
    const since = requestsSince(mark);
    expect(since.length).toBeGreaterThan(0);
    expect(since.filter((r) => CONTENT.test(r.path))).toEqual([]);
    expect(new Set(since.map((r) => r.path))).toEqual(new Set([`/repos/${owner}/turned`]));
    // The earlier public scan's findings and verdict are untouched.
    expect((await api('GET', `/repos/${repoId}/findings`)).body).toEqual(findingsBefore);
    expect((await api('GET', `/orgs/${orgId}/repos/${repoId}`)).body.status).toBe(repoBefore.status);
    expect(await stack.harness.orm.em.getKnex()('findings').where({ repo_id: repoId }).orderBy('id')).toEqual(
      rowsBefore,
    );

    // The way forward works: with the org's own token (which GitHub lets read it) the scan completes.
    stack.harness.github.setVisibility(owner, 'turned', 'private', [INSTANCE_TOKEN, ORG_TOKEN]);
    expect((await api('PUT', `/orgs/${orgId}/github/token`, { token: ORG_TOKEN })).status).toBe(200);
    expect(await scanToEnd(repoId)).toMatchObject({ status: 'COMPLETED', counts: { manifests: 1 } });
    expect((await api('DELETE', `/orgs/${orgId}/github/token`)).status).toBe(204);
  });
});
