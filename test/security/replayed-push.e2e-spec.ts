// Trust boundary: a push body someone kept. Signed pushes for commit 1 then commit 2 of a real
// repository are scanned to completion; the commit-1 body is then replayed, correctly signed, under
// a new delivery id (on the org's URL and on the GitHub App's), and a push names a commit that is
// not on the branch at all. The findings must still be those of commit 2.
import { randomBytes, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { OsvRecord, ScanTarget } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { request, type JsonResponse } from '../support/http';

const advisory = (id: string, name: string): OsvRecord => ({
  id,
  modified: '2026-12-01T00:00:00Z',
  summary: `a vulnerable ${name}`,
  affected: [
    {
      package: { ecosystem: 'PyPI', name },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
    },
  ],
});
// Commit 1 pins the first package's vulnerable version; commit 2 fixes it and brings the second in.
const OLD = advisory('RG-REPLAY-0001', 'rg-replay-old');
const NEW = advisory('RG-REPLAY-0002', 'rg-replay-new');
const APP_SECRET = `whsec-${randomBytes(16).toString('hex')}`;

describe('a replayed push', () => {
  let stack: ApiStack;
  let owner: string;
  let orgSecret: string;
  let orgPath: string;
  let target: ScanTarget;
  let githubId: number;
  let repo: Awaited<ReturnType<ApiStack['harness']['github']['createRepo']>>;

  const knex = () => stack.harness.orm.em.getKnex();

  async function deliver(path: string, secret: string, raw: string): Promise<JsonResponse> {
    return request(`${stack.url}${path}`, {
      method: 'POST',
      headers: {
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': await sign(secret, raw),
        'user-agent': 'GitHub-Hookshot/test',
      },
      body: raw,
    });
  }

  const pushBody = (before: string, after: string) =>
    JSON.stringify({
      ref: 'refs/heads/main',
      before,
      after,
      head_commit: { id: after, message: 'a commit' },
      repository: { id: githubId, name: 'replayed', full_name: 'acme/replayed', default_branch: 'main' },
      pusher: { name: 'dev' },
    });

  /** The open findings by advisory, as the org reads them. */
  async function openAdvisories(): Promise<string[]> {
    const listed = await stack.call(owner, 'GET', `/api/v1/repos/${target.repoId}/findings?status=open`);
    expect(listed.status).toBe(200);
    return listed.body.items.map((f: { vulnerability: { id: string } }) => f.vulnerability.id).sort();
  }

  const scanRows = () =>
    knex()('scans')
      .where({ repo_id: target.repoId })
      .orderBy('created_at', 'asc')
      .select('commit_sha', 'status');

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'replayed-push',
      advisories: [OLD, NEW],
      encryptionKey: randomBytes(32).toString('base64'),
      env: { GITHUB_WEBHOOK_SECRET: APP_SECRET },
    });
    const org = await stack.createOrg('replay');
    owner = org.ownerToken;
    repo = await stack.harness.github.createRepo('acme', 'replayed');
    await repo.commit({ 'requirements.txt': 'rg-replay-old==1.0.0\n' }, 'initial');
    const connected = await stack.call(owner, 'POST', `/api/v1/orgs/${org.orgId}/repos`, {
      repo: 'acme/replayed',
    });
    expect(connected.status).toBe(201);
    target = { orgId: org.orgId, repoId: connected.body.id, owner: 'acme', name: 'replayed' };
    githubId = Number(connected.body.github_id);
    const issued = await stack.call(owner, 'POST', `/api/v1/orgs/${org.orgId}/webhook-secret`);
    expect(issued.status).toBe(201);
    ({ secret: orgSecret, webhook_path: orgPath } = issued.body);
  });
  afterAll(async () => stack?.close());

  it('does not move the findings back to the older commit', async () => {
    const commit1 = await repo.commit({ 'requirements.txt': 'rg-replay-old==1.5.0\n' }, 'commit 1');
    const push1 = pushBody('0'.repeat(40), commit1);
    const first = await deliver(orgPath, orgSecret, push1);
    expect([first.status, first.body.outcome]).toEqual([202, 'scan requested']);
    expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED', commitSha: commit1 });
    expect(await openAdvisories()).toEqual([OLD.id]);

    const commit2 = await repo.commit(
      { 'requirements.txt': 'rg-replay-old==2.0.0\nrg-replay-new==1.0.0\n' },
      'commit 2',
    );
    const second = await deliver(orgPath, orgSecret, pushBody(commit1, commit2));
    expect([second.status, second.body.outcome]).toEqual([202, 'scan requested']);
    expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED', commitSha: commit2 });
    expect(await openAdvisories()).toEqual([NEW.id]);
    const settled = await scanRows();

    // The very bytes of push 1, correctly signed, under a new delivery id: accepted as a hint only.
    const replayed = await deliver(orgPath, orgSecret, push1);
    expect(replayed.status).toBe(202);
    expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED', commitSha: commit2 });
    expect(await openAdvisories()).toEqual([NEW.id]);

    // The same through the GitHub App's URL, and a push naming a commit that is not on the branch.
    expect((await deliver('/api/v1/webhooks/github', APP_SECRET, push1)).status).toBe(202);
    expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED', commitSha: commit2 });
    const elsewhere = await repo.commit(
      { 'requirements.txt': 'rg-replay-old==1.0.0\n' },
      'side',
      'side-branch',
    );
    expect((await deliver(orgPath, orgSecret, pushBody(commit2, elsewhere))).status).toBe(202);
    expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED', commitSha: commit2 });
    expect(await openAdvisories()).toEqual([NEW.id]);

    // Every scan since read commit 2; none went back to commit 1 or to the side branch.
    const later = (await scanRows()).slice(settled.length);
    expect(later.length).toBeGreaterThanOrEqual(1);
    expect(later).toEqual(later.map(() => ({ commit_sha: commit2, status: 'COMPLETED' })));
    const fixedFinding = await stack.call(
      owner,
      'GET',
      `/api/v1/repos/${target.repoId}/findings?status=fixed`,
    );
    expect(fixedFinding.body.items.map((f: { vulnerability: { id: string } }) => f.vulnerability.id)).toEqual(
      [OLD.id],
    );
  });
});
