// Issue 19's acceptance, as GitHub would show it: the API process and the worker on the Temporal dev
// server and PostgreSQL, the GitHub stand-in (real git repositories, a GitHub App installation, its
// Checks API and commit statuses) and the OSV stand-in. Deliveries are signed `pull_request` and
// `check_run` webhooks in GitHub's payload shape; what each test asserts is read back from the
// stand-in's Checks API, as GitHub's pull request page would read it. Each describe has its own
// stack (so its own task queue), org and repositories.
import { randomUUID } from 'node:crypto';
import { ACCEPT_RISK_ACTION, type OsvRecord } from '@repoguard/domain';
import { deliverCheckRunEvent } from '../support/github-check-run-delivery';
import { PullRequestWorld, until, type ConnectedRepo } from '../support/pull-request-world';

// Packages of their own, so no other spec's finding is one of these.
const VULNERABLE = 'rg-acc-requests';
const ADVISORY: OsvRecord = {
  id: 'RG-ACC-0001',
  modified: '2026-11-01T00:00:00Z',
  summary: 'a vulnerable package a pull request adds',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: VULNERABLE },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.20.0' }] }],
    },
  ],
  database_specific: { severity: 'HIGH' },
};
const SAFE_BASE = 'rg-acc-flask==2.3.0\nrg-acc-click==8.1.7\n';
/** The describe's own stack and org, started before its tests and closed after them. */
function worldOf(name: string, env: Record<string, string> = {}): () => PullRequestWorld {
  let world: PullRequestWorld | undefined;
  beforeAll(async () => {
    world = await PullRequestWorld.start({ name, advisories: [ADVISORY], env });
  });
  afterAll(async () => world?.close());
  return () => world!;
}

/** Commits `requirements` on a branch of its own and delivers the pull request `opened`; its head. */
async function openPullRequest(
  on: PullRequestWorld,
  target: ConnectedRepo,
  number: number,
  requirements: string,
): Promise<string> {
  const headRef = `pr-${number}`;
  const headSha = await target.repo.commit(
    { 'requirements.txt': requirements },
    `change #${number}`,
    headRef,
  );
  await on.deliverPullRequest(target, 'opened', { number, headSha, headRef });
  return headSha;
}

describe('a pull request that adds a vulnerable dependency', () => {
  const world = worldOf('acc-introduced');

  it('gets a failure check run with one annotation on the added line and the fix version in the summary', async () => {
    const target = await world().appRepo('web', { 'requirements.txt': SAFE_BASE, 'README.md': '# web\n' });
    const seenBefore = world().github.requests.length;
    const head = await openPullRequest(world(), target, 1, `${SAFE_BASE}${VULNERABLE}==2.19.0\n`);

    const run = await world().completedRun(target, head);
    expect(run).toMatchObject({
      name: 'RepoGuard',
      conclusion: 'failure',
      head_sha: head,
      details_url: expect.stringMatching(
        new RegExp(`/api/v1/repos/${target.repoId}/pull-request-checks/${run.external_id}$`),
      ),
    });
    expect(run.output.summary).toContain('fixed in 2.20.0');
    expect(run.output.summary).toContain(`${VULNERABLE}\\@2.19.0`);
    expect(run.output.annotations_count).toBe(1);
    const annotations = await world().annotations(target, run.id);
    expect(annotations).toEqual([
      expect.objectContaining({
        path: 'requirements.txt',
        start_line: 3,
        end_line: 3,
        annotation_level: 'failure',
      }),
    ]);
    expect(annotations[0]!.message).toContain('fixed in 2.20.0');
    // One run for the head, no other left pending.
    expect(await world().checkRuns(target, head)).toHaveLength(1);
    // The changed manifest of the head was read as a blob: what the no-manifest test sees none of.
    const blobReads = world()
      .github.requests.slice(seenBefore)
      .filter((r) => r.path.startsWith(`/repos/${target.fullName}/git/blobs/`));
    expect(blobReads.length).toBeGreaterThan(0);
  });
});

describe('a pull request that upgrades a vulnerable dependency away', () => {
  const world = worldOf('acc-resolved');

  it('gets a success check run that lists the finding as resolved', async () => {
    const target = await world().appRepo('api', {
      'requirements.txt': `${SAFE_BASE}${VULNERABLE}==2.19.0\n`,
    });
    const head = await openPullRequest(world(), target, 7, `${SAFE_BASE}${VULNERABLE}==2.20.0\n`);

    const run = await world().completedRun(target, head);
    expect(run).toMatchObject({ conclusion: 'success', head_sha: head });
    expect(run.output.title).toBe('0 new vulnerabilities, 1 resolved');
    const resolved = run.output.summary!.split('### Resolved by this pull request')[1];
    expect(resolved).toBeDefined();
    expect(resolved).toContain('RG-ACC-0001');
    expect(resolved).toContain(`${VULNERABLE}\\@2.19.0`);
    expect(await world().annotations(target, run.id)).toEqual([]);
  });
});

describe('two quick pushes to a pull request', () => {
  // A quiet window wide enough that the second delivery always lands inside the first's.
  const world = worldOf('acc-quick', { SCAN_QUIET_WINDOW_MS: '3000' });

  it('end in one completed check run, for the newest head; the older head has no verdict', async () => {
    const target = await world().appRepo('quick', { 'requirements.txt': SAFE_BASE });
    const older = await openPullRequest(world(), target, 3, `${SAFE_BASE}${VULNERABLE}==2.18.0\n`);
    const newer = await target.repo.commit(
      { 'requirements.txt': `${SAFE_BASE}${VULNERABLE}==2.19.0\n` },
      'second push',
      'pr-3',
    );
    await world().deliverPullRequest(target, 'synchronize', { number: 3, headSha: newer, headRef: 'pr-3' });

    const run = await world().completedRun(target, newer);
    expect(run).toMatchObject({ conclusion: 'failure', head_sha: newer });
    expect(run.output.summary).toContain(`${VULNERABLE}\\@2.19.0`);
    expect((await world().checkRuns(target, newer)).filter((r) => r.status === 'completed')).toHaveLength(1);

    // The older head's check ends superseded (RepoGuard's own view), and on GitHub it has no
    // failure or success: at most a run that says it was superseded.
    await until('the older head superseded', async () => {
      const listed = await world().stack.call(
        world().org.ownerToken,
        'GET',
        `/api/v1/repos/${target.repoId}/pull-requests/3/checks`,
      );
      const states = listed.body.items.map((c: { head_sha: string; state: string }) => [c.head_sha, c.state]);
      return states.some(([sha, state]: string[]) => sha === older && state === 'superseded')
        ? states
        : undefined;
    });
    for (const stale of await world().checkRuns(target, older)) {
      expect(stale.conclusion).not.toBe('failure');
      expect(stale.conclusion).not.toBe('success');
      if (stale.status === 'completed') {
        expect(stale).toMatchObject({
          conclusion: 'neutral',
          output: { title: 'Superseded by a newer commit' },
        });
      }
    }
  });
});

describe('the "Accept risk" action of a failing check run', () => {
  const world = worldOf('acc-accept');

  it('puts success on a new check run without the old annotations, and audits the acceptance with its actor and a 30-day expiry', async () => {
    const target = await world().appRepo('risky', { 'requirements.txt': SAFE_BASE });
    const head = await openPullRequest(world(), target, 11, `${SAFE_BASE}${VULNERABLE}==2.19.0\n`);
    const failing = await world().completedRun(target, head);
    expect(failing.conclusion).toBe('failure');
    // GitHub's API does not answer a run's actions: what the App sent is the stand-in's record.
    const offered = () =>
      world()
        .github.checkRuns(target.fullName)
        .find((r) => r.id === failing.id)!.actions;
    expect(offered().map((a) => a.identifier)).toEqual([ACCEPT_RISK_ACTION]);

    const clicked = world().github.checkRunEvent(failing.id, 'requested_action', {
      sender: 'security-lead',
      identifier: ACCEPT_RISK_ACTION,
      pullRequest: { number: 11, headRef: 'pr-11', baseRef: 'main', baseSha: target.baseSha },
    });
    // A forged click (the run's id with another external_id) changes nothing.
    const run = clicked.payload['check_run'] as Record<string, unknown>;
    const forged = await deliverCheckRunEvent(world().stack.url, world().stack.webhookSecret!, {
      event: 'check_run',
      payload: { ...clicked.payload, check_run: { ...run, external_id: randomUUID() } },
    });
    expect(forged.status).toBe(202);
    expect(forged.body).toMatchObject({ handled: false });

    const clickedAt = Date.now();
    const answer = await deliverCheckRunEvent(world().stack.url, world().stack.webhookSecret!, clicked);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ handled: true });

    // GitHub only appends annotations: the new verdict is a new run (GitHub shows the newest).
    const accepted = await until('a success check run', async () => {
      const runs = await world().checkRuns(target, head);
      const newest = runs.reduce((a, b) => (b.id > a.id ? b : a));
      return newest.conclusion === 'success' ? newest : undefined;
    });
    expect(accepted.id).not.toBe(failing.id);
    expect(await world().annotations(target, accepted.id)).toEqual([]);
    expect((await world().checkRuns(target, head)).map((r) => r.id).sort()).toEqual(
      [failing.id, accepted.id].sort(),
    );
    // The failing run keeps its verdict, without a button that no longer leads anywhere.
    expect(offered()).toEqual([]);
    const checks = await world().stack.call(
      world().org.ownerToken,
      'GET',
      `/api/v1/repos/${target.repoId}/pull-requests/11/checks`,
    );
    // The row names the new run, so a later action on it is found.
    expect(checks.body.items[0]).toMatchObject({ conclusion: 'success', check_run_id: String(accepted.id) });

    const audit = await world().stack.call(
      world().org.ownerToken,
      'GET',
      `/api/v1/orgs/${world().org.orgId}/audit-logs?action=risk.accepted`,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    const row = audit.body.items[0];
    // The actor is the delivery's (GitHub's App webhook); the person who clicked is `accepted_by`.
    expect(row).toMatchObject({ action: 'risk.accepted', actor_type: expect.any(String) });
    expect(row.metadata).toMatchObject({
      repo_id: target.repoId,
      pr_number: 11,
      head_sha: head,
      check_run_id: String(failing.id),
      vulnerability_id: 'RG-ACC-0001',
      package: VULNERABLE,
      accepted_by: 'github:security-lead',
      delivery_id: answer.deliveryId,
    });
    const days = (Date.parse(row.metadata.expires_at) - clickedAt) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
  });
});

describe('a pull request that touches no manifest', () => {
  const world = worldOf('acc-docs');

  it('gets a success check run without a manifest blob of its head being read', async () => {
    const target = await world().appRepo('docs', {
      'requirements.txt': `${SAFE_BASE}${VULNERABLE}==2.19.0\n`,
      'README.md': '# docs\n',
    });
    const head = await target.repo.commit({ 'README.md': '# docs, better\n' }, 'docs only', 'docs-1');
    const seenBefore = world().github.requests.length;
    await world().deliverPullRequest(target, 'opened', { number: 2, headSha: head, headRef: 'docs-1' });

    const run = await world().completedRun(target, head);
    expect(run).toMatchObject({ conclusion: 'success', head_sha: head });
    expect(run.output.title).toBe('No dependency changes');
    const sincePr = world()
      .github.requests.slice(seenBefore)
      .filter((r) => r.path.includes(target.fullName));
    expect(sincePr.filter((r) => /\/git\/blobs\/|\/contents\/|\/tarball|\/zipball/.test(r.path))).toEqual([]);
    // The check was decided on a comparison of trees, so the head was looked at.
    expect(sincePr.some((r) => r.path.includes('/check-runs'))).toBe(true);
  });
});

describe('a pull request on a repository reached with the org token (no App)', () => {
  const world = worldOf('acc-status');

  it('gets a commit status instead of a check run', async () => {
    const target = await world().tokenRepo('vault', { 'requirements.txt': SAFE_BASE });
    const head = await openPullRequest(world(), target, 5, `${SAFE_BASE}${VULNERABLE}==2.19.0\n`);

    const status = await until('a final commit status', async () => {
      const combined = await world().read<{
        state: string;
        statuses: { context: string; state: string; description: string }[];
      }>(target, `/commits/${head}/status`);
      const ours = combined.statuses.find((s) => s.context === 'RepoGuard');
      return ours && ours.state !== 'pending' ? ours : undefined;
    });
    expect(status).toMatchObject({
      context: 'RepoGuard',
      state: 'failure',
      description: expect.stringContaining('1 new vulnerability'),
      target_url: expect.stringMatching(new RegExp(`/api/v1/repos/${target.repoId}/pull-request-checks/`)),
    });
    expect(status.description.length).toBeLessThanOrEqual(140);
    expect(await world().checkRuns(target, head)).toEqual([]);
  });
});
