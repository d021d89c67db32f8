// Pull-request checks on the real stack: the API takes signed pull_request deliveries, the worker's
// prScanWorkflow compares the head with the base branch's latest scan through the GitHub stand-in
// (backed by real git repositories) and the OSV stand-in, and the check row says what it found.
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type {
  CheckPublishTarget,
  OsvRecord,
  PublishedCheck,
  PullRequestCheckPublisher,
  PullRequestCheckReport,
} from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { request } from '../support/http';

const SECRET = `whsec-${randomUUID()}`;

/** A HIGH advisory of a PyPI package of this file's own, so no other test's finding is this one's. */
const advisory = (id: string, name: string, events: Record<string, string>[]): OsvRecord => ({
  id,
  modified: '2026-11-01T00:00:00Z',
  summary: `${name} is vulnerable`,
  affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
  database_specific: { severity: 'HIGH' },
});

const ADVISORY = advisory('RG-PR-0001', 'rg-pr-requests', [
  { introduced: '0' },
  { fixed: '2.20.0' },
  { introduced: '3.0.0' },
  { fixed: '3.1.0' },
]);
// Another package, for a pull request that adds a vulnerability next to one its base already has.
const SECOND_ADVISORY = advisory('RG-PR-0002', 'rg-pr-urllib', [{ introduced: '0' }, { fixed: '1.1.0' }]);

/**
 * The real adapter (GitHub's Checks API) is another change of issue 19: until it is wired, the
 * worker publishes here and the test reads what it was given.
 */
class RecordingPublisher implements PullRequestCheckPublisher {
  readonly published: { target: CheckPublishTarget; report: PullRequestCheckReport }[] = [];
  async publish(target: CheckPublishTarget, report: PullRequestCheckReport): Promise<PublishedCheck> {
    this.published.push({ target, report });
    return { delivery: 'check_run', checkRunId: String(1000 + this.published.length) };
  }
}

describe('pull-request checks', () => {
  const publisher = new RecordingPublisher();
  let stack: ApiStack;
  let token: string;
  let repoId: string;
  let githubId: number;
  let repo: Awaited<ReturnType<ApiStack['harness']['github']['createRepo']>>;
  let baseSha: string;

  const pullRequest = (
    action: string,
    number: number,
    headSha: string,
    extra: Record<string, unknown> = {},
  ) => ({
    action,
    number,
    pull_request: {
      number,
      draft: false,
      head: { sha: headSha, ref: `feature-${number}`, repo: { id: 999_999, full_name: 'someone/fork' } },
      base: { sha: baseSha, ref: 'main' },
    },
    repository: { id: githubId, full_name: 'acme/pr-checked' },
    ...extra,
  });

  async function deliver(event: string, body: unknown) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const deliveryId = randomUUID();
    const answer = await request(`${stack.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'x-github-event': event,
        'x-github-delivery': deliveryId,
        'x-hub-signature-256': await sign(SECRET, raw),
        'user-agent': 'GitHub-Hookshot/test',
      },
      body: raw,
    });
    return { ...answer, deliveryId };
  }

  async function finalCheck(number: number) {
    for (let i = 0; i < 240; i++) {
      const listed = await stack.call(token, 'GET', `/api/v1/repos/${repoId}/pull-requests/${number}/checks`);
      expect(listed.status).toBe(200);
      const newest = listed.body.items[0];
      if (newest && ['completed', 'failed'].includes(newest.state)) return { newest, all: listed.body.items };
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`pull request #${number} has no final check`);
  }

  /** Another repository of the stand-in, connected to the same org, its default branch scanned. */
  async function connectScanned(name: string): Promise<{ id: string; githubId: number }> {
    const knex = stack.harness.orm.em.getKnex();
    const orgId = (await knex('repositories').where({ id: repoId }).first('org_id')).org_id;
    const connected = await stack.call(token, 'POST', `/api/v1/orgs/${orgId}/repos`, {
      repo: `acme/${name}`,
    });
    expect(connected.status).toBe(201);
    const id: string = connected.body.id;
    const githubId = Number((await knex('repositories').where({ id }).first('external_id')).external_id);
    expect((await stack.scanToEnd(token, id)).status).toBe('COMPLETED');
    return { id, githubId };
  }

  /** Opens pull request `number` of that repository at `head` on main at `base`; its settled check. */
  async function openOn(
    repository: { id: string; githubId: number },
    number: number,
    head: string,
    base: string,
  ) {
    const answer = await deliver('pull_request', {
      action: 'opened',
      number,
      pull_request: { number, head: { sha: head }, base: { sha: base, ref: 'main' } },
      repository: { id: repository.githubId },
    });
    expect(answer.status).toBe(202);
    let check = null;
    for (let i = 0; i < 240 && !['completed', 'failed'].includes(check?.state); i++) {
      await new Promise((r) => setTimeout(r, 250));
      const listed = await stack.call(
        token,
        'GET',
        `/api/v1/repos/${repository.id}/pull-requests/${number}/checks`,
      );
      check = listed.body.items[0];
    }
    return check;
  }

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'pr-checks',
      advisories: [ADVISORY, SECOND_ADVISORY],
      env: { GITHUB_WEBHOOK_SECRET: SECRET, SCAN_QUIET_WINDOW_MS: '300' },
      pullRequestCheckPublisher: publisher,
    });
    const org = await stack.createOrg('pr-checks');
    token = org.ownerToken;
    repo = await stack.harness.github.createRepo('acme', 'pr-checked');
    baseSha = await repo.commit(
      { 'requirements.txt': 'rg-pr-flask==2.3.0\nrg-pr-requests==2.20.0\n', 'README.md': '# pr\n' },
      'initial',
    );
    const connected = await stack.call(token, 'POST', `/api/v1/orgs/${org.orgId}/repos`, {
      repo: 'acme/pr-checked',
    });
    expect(connected.status).toBe(201);
    repoId = connected.body.id;
    githubId = Number(
      (await stack.harness.orm.em.getKnex()('repositories').where({ id: repoId }).first('external_id'))
        .external_id,
    );
    // The default branch's latest completed scan is the base of every pull request on it.
    expect((await stack.scanToEnd(token, repoId)).status).toBe('COMPLETED');
  });
  afterAll(async () => stack?.close());

  it('fails a pull request that adds a vulnerable dependency, on its line, with the fix version', async () => {
    const head = await repo.commit(
      { 'requirements.txt': 'rg-pr-flask==2.3.0\nrg-pr-requests==2.19.0\n' },
      'pin an older requests',
      'feature-1',
    );
    const answer = await deliver('pull_request', pullRequest('opened', 1, head));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      handled: true,
      checks: [{ repo_id: repoId, pr_number: 1, head_sha: head, workflow_id: `pr-scan:${repoId}:1` }],
    });

    const { newest } = await finalCheck(1);
    expect(newest).toMatchObject({
      state: 'completed',
      conclusion: 'failure',
      head_sha: head,
      check_run_id: expect.any(String),
    });
    expect(newest.comparison).toMatchObject({
      base_commit_sha: baseSha,
      head_commit_sha: head,
      base_scan_id: expect.any(String),
      manifests_changed: ['requirements.txt'],
      status: 'FAIL',
      resolved: [],
      accepted: [],
    });
    expect(newest.comparison.introduced).toEqual([
      expect.objectContaining({
        vulnerability_id: 'RG-PR-0001',
        package_name: 'rg-pr-requests',
        version: '2.19.0',
        manifest_path: 'requirements.txt',
        line: 2,
        fixed_in: '2.20.0',
        severity: 'HIGH',
      }),
    ]);
    // The details link's target answers the same check.
    const detail = await stack.call(
      token,
      'GET',
      `/api/v1/repos/${repoId}/pull-request-checks/${newest.check_id}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.comparison.introduced).toHaveLength(1);
    // What GitHub was given: one annotation on the line, the fix in the summary.
    const final = publisher.published.filter(
      (p) => p.report.headSha === head && p.report.status === 'completed',
    );
    expect(final).toHaveLength(1);
    expect(final[0]!.report).toMatchObject({ conclusion: 'failure', externalId: newest.check_id });
    expect(final[0]!.report.annotations).toEqual([
      expect.objectContaining({ path: 'requirements.txt', startLine: 2, endLine: 2, level: 'failure' }),
    ]);
    expect(final[0]!.report.summary).toContain('fixed in 2.20.0');
  });

  it('passes a pull request that touches no manifest without fetching a single blob for it', async () => {
    await repo.createBranch('docs-2', 'main');
    const head = await repo.commit({ 'README.md': '# pr, documented\n' }, 'docs only', 'docs-2');
    stack.harness.github.requests.length = 0;
    const answer = await deliver('pull_request', pullRequest('opened', 2, head, {}));
    expect(answer.status).toBe(202);
    const { newest } = await finalCheck(2);
    expect(newest).toMatchObject({ state: 'completed', conclusion: 'success' });
    expect(newest.comparison).toMatchObject({
      manifests_changed: [],
      introduced: [],
      resolved: [],
      status: 'OK',
    });
    const blobReads = stack.harness.github.requests.filter((r) => r.path.includes('/git/blobs/'));
    expect(blobReads).toEqual([]);
  });

  it('checks only the newest of two quick heads, and a rerequest of its check run checks it again', async () => {
    await repo.createBranch('quick-4', 'main');
    const first = await repo.commit({ 'requirements.txt': 'rg-pr-requests==2.19.0\n' }, 'first', 'quick-4');
    const second = await repo.commit({ 'requirements.txt': 'rg-pr-requests==3.0.0\n' }, 'second', 'quick-4');
    expect((await deliver('pull_request', pullRequest('opened', 4, first))).status).toBe(202);
    expect((await deliver('pull_request', pullRequest('synchronize', 4, second))).status).toBe(202);
    const { newest, all } = await finalCheck(4);
    expect(newest).toMatchObject({ head_sha: second, state: 'completed', conclusion: 'failure' });
    expect(all.map((c: { head_sha: string; state: string }) => [c.head_sha, c.state])).toEqual([
      [second, 'completed'],
      [first, 'superseded'],
    ]);
    expect(newest.comparison.introduced).toEqual([
      expect.objectContaining({ version: '3.0.0', fixed_in: '3.1.0', line: 1 }),
    ]);
    const finals = publisher.published.filter((p) => p.report.status === 'completed');
    expect(finals.filter((p) => p.report.headSha === first)).toEqual([]);

    // "Re-run" on GitHub: the check run RepoGuard created is checked again.
    const rerun = await deliver('check_run', {
      action: 'rerequested',
      check_run: {
        id: Number(newest.check_run_id),
        head_sha: second,
        external_id: newest.check_id,
        pull_requests: [],
      },
      repository: { id: githubId },
    });
    expect(rerun.status).toBe(202);
    expect(rerun.body).toMatchObject({ handled: true, checks: [{ check_id: newest.check_id }] });
    for (let i = 0; i < 240; i++) {
      const again = await stack.call(
        token,
        'GET',
        `/api/v1/repos/${repoId}/pull-request-checks/${newest.check_id}`,
      );
      if (again.body.state === 'completed' && again.body.requested_at !== newest.requested_at) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const again = await stack.call(
      token,
      'GET',
      `/api/v1/repos/${repoId}/pull-request-checks/${newest.check_id}`,
    );
    expect(again.body).toMatchObject({
      state: 'completed',
      conclusion: 'failure',
      check_run_id: expect.any(String),
    });
    expect(again.body.requested_at).not.toBe(newest.requested_at);
    // Another app's check run on the head is not ours to re-run.
    const foreign = await deliver('check_run', {
      action: 'rerequested',
      check_run: { id: 1, head_sha: second, external_id: 'not-ours', pull_requests: [] },
      repository: { id: githubId },
    });
    expect(foreign.body).toMatchObject({ handled: false, outcome: 'no check of RepoGuard on this head' });
    // "Re-run" on the older head's run: refused, and the newest head's check stays as it ended.
    const older = all.find((c: { head_sha: string }) => c.head_sha === first);
    const olderRerun = await deliver('check_run', {
      action: 'rerequested',
      check_run: { id: 424242, head_sha: first, external_id: older.check_id, pull_requests: [] },
      repository: { id: githubId },
    });
    expect(olderRerun.status).toBe(202);
    expect(olderRerun.body).toMatchObject({
      handled: false,
      outcome: 'not the newest head of the pull request: only its check is checked again',
    });
    const after = await finalCheck(4);
    expect(after.all.map((c: { head_sha: string; state: string }) => [c.head_sha, c.state])).toEqual([
      [second, 'completed'],
      [first, 'superseded'],
    ]);
  });

  it('passes a pull request that upgrades a vulnerable dependency away, listing it as resolved', async () => {
    const vulnerable = await stack.harness.github.createRepo('acme', 'pr-upgraded');
    const mainSha = await vulnerable.commit({ 'requirements.txt': 'rg-pr-requests==2.19.0\n' }, 'initial');
    const upgraded = await connectScanned('pr-upgraded');
    const head = await vulnerable.commit(
      { 'requirements.txt': 'rg-pr-requests==2.20.0\n' },
      'upgrade',
      'fix-5',
    );
    const check = await openOn(upgraded, 5, head, mainSha);
    expect(check).toMatchObject({ state: 'completed', conclusion: 'success' });
    expect(check.comparison).toMatchObject({ introduced: [], status: 'OK' });
    expect(check.comparison.resolved).toEqual([
      expect.objectContaining({ vulnerability_id: 'RG-PR-0001', version: '2.19.0', fixed_in: '2.20.0' }),
    ]);
  });

  it('compares with the merge base: what main did since the branch point is neither introduced nor resolved', async () => {
    const moved = await stack.harness.github.createRepo('acme', 'pr-merge-base');
    const branchPoint = await moved.commit(
      { 'requirements.txt': 'rg-pr-flask==2.3.0\nrg-pr-requests==2.19.0\n', 'README.md': '# mb\n' },
      'initial',
    );
    await moved.createBranch('mb-docs', branchPoint);
    await moved.createBranch('mb-vuln', branchPoint);
    // main moves on after the branch point: it upgrades the vulnerable dependency away.
    const mainTip = await moved.commit(
      { 'requirements.txt': 'rg-pr-flask==2.3.0\nrg-pr-requests==2.20.0\n' },
      'upgrade requests',
    );
    // The stored default-branch scan is of main's tip, ahead of the branch point.
    const movedRepo = await connectScanned('pr-merge-base');
    const open = (number: number, head: string) => openOn(movedRepo, number, head, mainTip);

    const docs = await moved.commit({ 'README.md': '# mb, documented\n' }, 'docs', 'mb-docs');
    stack.harness.github.requests.length = 0;
    const docsCheck = await open(11, docs);
    expect(docsCheck).toMatchObject({ state: 'completed', conclusion: 'success' });
    expect(docsCheck.comparison).toMatchObject({
      base_commit_sha: branchPoint,
      base_scan_id: null,
      manifests_changed: [],
      introduced: [],
      resolved: [],
      status: 'OK',
    });
    expect(stack.harness.github.requests.filter((r) => r.path.includes('/git/blobs/'))).toEqual([]);

    const vuln = await moved.commit(
      { 'requirements.txt': 'rg-pr-flask==2.3.0\nrg-pr-requests==2.19.0\nrg-pr-urllib==1.0.0\n' },
      'add urllib',
      'mb-vuln',
    );
    const vulnCheck = await open(12, vuln);
    expect(vulnCheck).toMatchObject({ state: 'completed', conclusion: 'failure' });
    expect(vulnCheck.comparison).toMatchObject({ base_commit_sha: branchPoint, resolved: [] });
    expect(vulnCheck.comparison.introduced).toEqual([
      expect.objectContaining({ vulnerability_id: 'RG-PR-0002', package_name: 'rg-pr-urllib', line: 3 }),
    ]);
  });

  it('records a malformed pull_request as such (400), and an action that asks for nothing as ignored', async () => {
    for (const body of [
      { action: 'opened', number: 3, repository: { id: githubId } },
      {
        action: 'opened',
        number: '3',
        pull_request: { head: { sha: 'x' }, base: { ref: 'main' } },
        repository: { id: githubId },
      },
      {
        action: 'opened',
        number: 3,
        pull_request: { head: { sha: 'a'.repeat(40) }, base: { ref: ['main'] } },
        repository: { id: githubId },
      },
      {
        action: 'opened',
        number: -1,
        pull_request: { head: { sha: 'a'.repeat(40) }, base: { ref: 'main' } },
        repository: { id: githubId },
      },
      // Past the 32 bits GitHub's numbers (and the check rows) have: refused, not a database error.
      pullRequest('opened', 2 ** 31, 'a'.repeat(40)),
    ]) {
      const answer = await deliver('pull_request', body);
      expect([answer.status, answer.body.error?.code]).toEqual([400, 'MALFORMED_JSON']);
    }
    const closed = await deliver('pull_request', pullRequest('closed', 3, 'a'.repeat(40)));
    expect(closed.status).toBe(202);
    expect(closed.body).toMatchObject({ handled: false, outcome: 'pull_request closed is not checked' });
    const unknown = await deliver('pull_request', {
      ...pullRequest('opened', 3, 'a'.repeat(40)),
      repository: { id: 1 },
    });
    expect(unknown.body).toMatchObject({ handled: false, outcome: 'repository not connected' });
    const listed = await stack.call(token, 'GET', `/api/v1/repos/${repoId}/pull-requests/3/checks`);
    expect(listed.body.items).toEqual([]);
    expect((await stack.call(token, 'GET', `/api/v1/repos/${repoId}/pull-requests/0/checks`)).status).toBe(
      400,
    );
    expect(
      (await stack.call(token, 'GET', `/api/v1/repos/${repoId}/pull-requests/99999999999/checks`)).status,
    ).toBe(400);
  });
});
